import Bag
import Messages
import XCTest
@testable import VLANode

/// The asynchronous recorder against a real file: what is queued reaches the bag, what does not fit
/// is counted per topic and reported in the bag's metadata.
final class NodeRecorderTests: XCTestCase {
    private var path: URL!
    private var counters: NodeCounters!

    override func setUp() {
        path = TestPaths.temporary("recorder.mcap")
        counters = NodeCounters()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: path)
    }

    private func makeRecorder(queueBytes: Int) throws -> NodeRecorder {
        var settings = RecordSettings(path: path.path, compression: .zstd)
        settings.queueBytes = queueBytes
        return try NodeRecorder(settings: settings, topics: try TestMessages.defaultTopics(), counters: counters)
    }

    private func messages(topic: String) throws -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        try MCAPIndexedReader(input: MCAPFileInput(path: path.path)).forEachMessage(topics: [topic]) { payloads.append($0.data) }
        return payloads
    }

    func testEverythingQueuedIsWrittenInOrderWithAZeroDropReport() throws {
        let recorder = try makeRecorder(queueBytes: 1 << 20)
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for index in 0..<200 {
                recorder.record(thread == 0
                    ? WireFormat.frames(topic: "/instruction", message: StringMessage(data: "thread 0 message \(index)"))
                    : WireFormat.frames(topic: "/vla/action_chunk", message: ActionChunk(inferenceSequence: UInt64(index))))
            }
        }
        let summary = recorder.finish()
        XCTAssertEqual(summary.recorded["/instruction"], 200)
        XCTAssertEqual(summary.recorded["/vla/action_chunk"], 200)
        XCTAssertEqual(summary.dropped, [:])
        XCTAssertEqual(try messages(topic: "/instruction").map { try StringMessage(cdrBytes: $0).data },
                       (0..<200).map { "thread 0 message \($0)" })
        XCTAssertEqual(try messages(topic: "/vla/action_chunk").map { try ActionChunk(cdrBytes: $0).inferenceSequence },
                       (0..<200).map(UInt64.init))
        let reader = try MCAPIndexedReader(input: MCAPFileInput(path: path.path))
        let metadata = try reader.metadata()
        XCTAssertEqual(metadata.map(\.name), ["vla_node.recorder", "rosbag2"])
        let rosbag2 = try XCTUnwrap(metadata.last?.metadata["serialized_metadata"])
        XCTAssertTrue(rosbag2.contains("message_count: 400\n"), rosbag2)
        XCTAssertTrue(rosbag2.contains("relative_file_paths:\n  - \(path.lastPathComponent)\n"), rosbag2)
        // The camera is offered as rosbag2 records a default publisher, the instruction latched, the
        // outputs as the node offers them.
        let qos = Dictionary(uniqueKeysWithValues: reader.channels.values.map { ($0.topic, $0.metadata["offered_qos_profiles"]) })
        XCTAssertEqual(qos["/camera/image_raw"], ROS2QoSProfile.yaml([.discoveredDefaultPublisher]))
        XCTAssertEqual(qos["/instruction"], ROS2QoSProfile.yaml([.latchedInstruction]))
        XCTAssertEqual(qos["/vla/action_chunk"], ROS2QoSProfile.yaml([.nodeOutput]))
        XCTAssertEqual(qos["/vla/latency"], ROS2QoSProfile.yaml([.nodeOutput]))
        XCTAssertEqual(metadata.first?.metadata["dropped_total"], "0")
        XCTAssertEqual(metadata.first?.metadata["dropped./camera/image_raw"], "0")
        XCTAssertEqual(metadata.first?.metadata["queue_bytes"], "1048576")
        XCTAssertEqual(counters.snapshot()[.recorderDrops], 0)
    }

    func testAMessageThatDoesNotFitIsDroppedCountedPerTopicAndReportedInTheBag() throws {
        let recorder = try makeRecorder(queueBytes: 1 << 20)
        let huge = TestMessages.image(width: 1024, height: 512)  // 1.5 MiB: never fits a 1 MiB queue
        recorder.record(WireFormat.frames(topic: "/camera/image_raw", message: huge))
        recorder.record(WireFormat.frames(topic: "/instruction", message: StringMessage(data: "pick")))
        recorder.record(WireFormat.frames(topic: "/camera/image_raw", message: huge))
        XCTAssertEqual(recorder.droppedByTopic, ["/camera/image_raw": 2])
        XCTAssertEqual(counters.snapshot()[.recorderDrops], 2)
        let summary = recorder.finish()
        recorder.record(WireFormat.frames(topic: "/instruction", message: StringMessage(data: "late")))
        XCTAssertEqual(recorder.finish(), summary, "finish is idempotent and later messages are ignored, not dropped")
        XCTAssertEqual(summary.dropped, ["/camera/image_raw": 2])
        XCTAssertEqual(summary.recorded["/camera/image_raw"], 0)
        XCTAssertEqual(try messages(topic: "/instruction").map { try StringMessage(cdrBytes: $0).data }, ["pick"])
        let info = try BagInfo(input: MCAPFileInput(path: path.path))
        XCTAssertEqual(info.metadata.first?.metadata["dropped./camera/image_raw"], "2")
        XCTAssertEqual(info.metadata.first?.metadata["dropped./instruction"], "0")
        XCTAssertEqual(info.metadata.first?.metadata["dropped_total"], "2")
        XCTAssertTrue(info.description.contains("vla_node.recorder: dropped./camera/image_raw=2"), info.description)
    }
}
