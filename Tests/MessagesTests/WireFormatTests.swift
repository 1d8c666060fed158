import Messages
import XCTest

final class WireFormatTests: XCTestCase {
    func testFramesAreTopicThenCDR() {
        let frames = WireFormat.frames(topic: "/instruction", message: StringMessage(data: "hi"))
        XCTAssertEqual(frames, [Array("/instruction".utf8), [0, 1, 0, 0, 3, 0, 0, 0, 0x68, 0x69, 0]])
    }

    func testTopicMustMatchExactlyNotByPrefix() throws {
        let frames = WireFormat.frames(topic: "/camera_info", message: StringMessage(data: "x"))
        XCTAssertNil(try WireFormat.decode(frames, topic: "/camera", as: StringMessage.self))
        XCTAssertNil(try WireFormat.decode(frames, topic: "/camera_info/x", as: StringMessage.self))
        XCTAssertEqual(try WireFormat.decode(frames, topic: "/camera_info", as: StringMessage.self), StringMessage(data: "x"))
        XCTAssertNil(try WireFormat.decode([], topic: "/camera", as: StringMessage.self))
    }

    func testMalformedMessagesOnTheTopicThrow() {
        XCTAssertThrowsError(try WireFormat.decode([Array("/t".utf8)], topic: "/t", as: StringMessage.self)) {
            XCTAssertEqual($0 as? WireFormat.Error, .wrongFrameCount(topic: "/t", count: 1))
        }
        XCTAssertThrowsError(try WireFormat.decode([Array("/t".utf8), [0, 1, 0, 0, 9]], topic: "/t", as: StringMessage.self)) {
            guard case .malformedPayload(let topic, let typeName, _)? = $0 as? WireFormat.Error else { return XCTFail("\($0)") }
            XCTAssertEqual(topic, "/t")
            XCTAssertEqual(typeName, "std_msgs/msg/String")
        }
    }
}
