import Foundation
import XCTest
import ZMQ

final class MultipartTests: XCTestCase {
    /// 8 MiB of xorshift64 output with zero bytes planted at known places.
    private func largeFrame() -> [UInt8] {
        let count = 8 << 20
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var frame = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for offset in stride(from: 0, to: count, by: 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                raw.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
            }
            initialized = count
        }
        for index in [0, 1, 4096, count / 2, count - 1] {
            frame[index] = 0
        }
        return frame
    }

    func testBinaryMultipartRoundTripOverTCPIsByteExact() throws {
        let context = try Context()
        let pull = try context.makeSocket(.pull)
        try pull.bind("tcp://127.0.0.1:*")
        let push = try context.makeSocket(.push)
        try push.connect(try XCTUnwrap(try pull.lastEndpoint))

        let big = largeFrame()
        let frames: [[UInt8]] = [[], [0], [0, 0, 0, 1, 0], Array(0...255), [], big, [0xFF]]
        try push.send(frames)
        let received = try receive(from: pull)

        XCTAssertEqual(received.count, frames.count)
        XCTAssertEqual(received.map(\.count), frames.map(\.count))
        XCTAssertTrue(received == frames, "frames differ byte for byte")
    }

    func testEveryFrameSourceTypeSendsItsExactBytes() throws {
        let context = try Context()
        let (pull, push) = try inprocPair(context, bound: .pull, connected: .push)

        let bytes: [UInt8] = [0, 9, 0, 200]
        let text = "ünïcode/topic"
        try bytes.withUnsafeBytes { raw in
            try push.send([bytes, bytes[1...2], Data(bytes), raw, text, text.dropFirst(3)])
        }
        let received = try receive(from: pull)
        XCTAssertEqual(received, [bytes, [9, 0], bytes, bytes, Array(text.utf8), utf8("code/topic")])
    }

    func testEmptyFrameListIsRejected() throws {
        let context = try Context()
        let push = try context.makeSocket(.push)
        XCTAssertThrowsError(try push.send([])) { error in
            guard case .invalidArgument = error as? ZMQError else { return XCTFail("\(error)") }
        }
    }

    func testMaxMessageSizeDisconnectsAPeerSendingLargerMessages() throws {
        let context = try Context()
        let pull = try context.makeSocket(.pull)
        try pull.setOption(.maxMessageSize, 1024)
        try pull.bind("tcp://127.0.0.1:*")
        let push = try context.makeSocket(.push)
        try push.connect(try XCTUnwrap(try pull.lastEndpoint))

        try push.send([[UInt8](repeating: 7, count: 2048)])
        // The oversized message never arrives; a small one does (possibly after the push reconnects).
        var poller = Poller()
        poller.register(pull)
        let deadline = ContinuousClock.now + .seconds(3)
        var first: [[UInt8]]?
        while first == nil, ContinuousClock.now < deadline {
            try push.send([[1, 2, 3]], mode: .dontWait)
            if !(try poller.poll(timeout: .milliseconds(20))).isEmpty { first = try pull.receive() }
        }
        XCTAssertEqual(first, [[1, 2, 3]])
    }
}
