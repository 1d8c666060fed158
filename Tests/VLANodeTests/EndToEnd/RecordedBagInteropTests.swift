import Foundation
import Messages
import TestSupport
import XCTest
@testable import VLANode

/// A recording node fed hostile input: the bag it writes must hold only what a standard ROS 2 decoder
/// (python rosbags, from the schemas embedded in the bag) accepts, and exactly what the node accepted.
final class RecordedBagInteropTests: XCTestCase {
    private struct BagReport: Decodable {
        let counts: [String: Int]
        let metadata: [String: [String: String]]
    }

    func testHostileInputIsCountedNotRecordedAndRosbagsDecodesEveryRecordedMessage() throws {
        let peer = try LoopbackPeer()
        defer { peer.close() }
        let bag = TestPaths.temporary("hostile.mcap")
        defer { try? FileManager.default.removeItem(at: bag) }
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress, record: bag.path)
        let node = try NodeRuntime(configuration: LaunchLoader.parse(yaml: yaml, sourceName: "test.yaml"))
        try peer.listen(to: try node.start().outputs[0])
        Thread.sleep(forTimeInterval: 0.3)  // slow joiner

        var truncatedImage = TestMessages.image().cdrBytes()
        truncatedImage.removeLast(100)
        var unnamedImage = TestMessages.image().cdrBytes()
        unnamedImage.replaceSubrange(12..<16, with: [0, 0, 0, 0])  // header.frame_id length 0: not CDR
        let hostile: [(topic: String, payload: [UInt8])] = [
            ("/instruction", [0, 1, 0, 0, 0, 0, 0, 0]),                          // zero-length CDR string
            ("/instruction", Array(StringMessage(data: "open the door").cdrBytes().dropLast(3))),  // truncated
            ("/instruction", [0x13, 0x37, 0xBE, 0xEF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2]),  // garbage
            ("/instruction", StringMessage(data: "").cdrBytes()),                  // empty instruction
            ("/instruction", StringMessage(data: " \t ").cdrBytes()),              // blank instruction
            ("/camera/image_raw", truncatedImage),
            ("/camera/image_raw", unnamedImage),
            ("/camera/image_raw", [0, 1, 0, 0] + [UInt8](repeating: 0xAB, count: 300)),
        ]
        try peer.stream(seconds: 2.5, instruction: "wipe the table") { frame in
            guard frame == 5 else { return }
            for message in hostile { try peer.sendRaw([Array(message.topic.utf8), message.payload]) }
        }
        try peer.collect(seconds: 0.3)
        let summary = node.stop()
        try peer.collect(seconds: 0.2)
        XCTAssertEqual(summary.counters.malformedByTopic["/instruction"], 3)
        XCTAssertEqual(summary.counters[.instructionsRejected], 2)
        XCTAssertEqual(summary.counters.malformedByTopic["/camera/image_raw"], 3)
        XCTAssertGreaterThan(peer.chunks.count, 0)

        let output = try InteropScript.run("check_bag_decodes.py", [bag.path])
        let report = try JSONDecoder().decode(BagReport.self, from: output)
        // Every frame that passed validation, every accepted instruction (one per second), every output.
        XCTAssertEqual(report.counts["/camera/image_raw"].map(UInt64.init), summary.frames.received)
        XCTAssertEqual(report.counts["/instruction"], 3)
        XCTAssertEqual(report.counts["/vla/action_chunk"].map(UInt64.init), summary.counters[.published])
        XCTAssertEqual(report.counts["/vla/latency"], peer.latencies.count)
        XCTAssertEqual(report.metadata["vla_node.recorder"]?["dropped_total"], "0")
    }
}
