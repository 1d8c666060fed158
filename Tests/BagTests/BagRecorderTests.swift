import Bag
import Messages
import XCTest

final class BagRecorderTests: XCTestCase {
    private func makeRecorder() throws -> (BagRecorder, MCAPMemoryOutput) {
        let output = MCAPMemoryOutput()
        let recorder = try BagRecorder(writer: MCAPWriter(output: output, options: .init(compression: .lz4)),
                                       topics: ["/camera": Image.self, "/instruction": StringMessage.self])
        return (recorder, output)
    }

    func testTopicsAreOfferedWithTheGivenQoSOrTheDiscoveredDefault() throws {
        let output = MCAPMemoryOutput()
        let recorder = try BagRecorder(writer: MCAPWriter(output: output),
                                       topics: ["/camera": Image.self, "/vla/action_chunk": ActionChunk.self],
                                       qos: ["/vla/action_chunk": [.nodeOutput]])
        try recorder.finish()
        let channels = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes)).channels.values
        let qos = Dictionary(uniqueKeysWithValues: channels.map { ($0.topic, $0.metadata["offered_qos_profiles"]) })
        XCTAssertEqual(qos, ["/camera": ROS2QoSProfile.yaml([.discoveredDefaultPublisher]),
                             "/vla/action_chunk": ROS2QoSProfile.yaml([.nodeOutput])])
    }

    func testRecordsExactTopicsAndDropsTheRest() throws {
        let (recorder, output) = try makeRecorder()
        let image = Image(header: Header(frameId: "cam"), height: 1, width: 1, encoding: "mono8", step: 1, data: [9])
        let hello = StringMessage(data: "hello").cdrBytes()
        XCTAssertEqual(try recorder.record(frames: [Array("/camera".utf8), image.cdrBytes()], receiveTime: 10), .recorded)
        XCTAssertEqual(try recorder.record(frames: [Array("/camera_info".utf8), hello], receiveTime: 11),
                       .ignoredTopic("/camera_info"))
        guard case .malformed(let reason) = try recorder.record(frames: [Array("/camera".utf8), hello], receiveTime: 12) else {
            return XCTFail("a String payload on an Image topic must be dropped")
        }
        XCTAssertTrue(reason.hasPrefix("/camera:"), reason)
        guard case .malformed = try recorder.record(frames: [Array("/instruction".utf8)], receiveTime: 13) else {
            return XCTFail("a single-frame message must be dropped")
        }
        guard case .malformed = try recorder.record(frames: [], receiveTime: 14) else {
            return XCTFail("an empty message must be dropped")
        }
        XCTAssertEqual(try recorder.record(frames: [Array("/instruction".utf8), hello], receiveTime: 15), .recorded)
        try recorder.finish()

        XCTAssertEqual(recorder.recordedCounts, ["/camera": 1, "/instruction": 1])
        XCTAssertEqual(recorder.malformedCount, 3)
        var reader = try MCAPStreamReader(input: MCAPMemoryInput(output.bytes))
        let messages = try reader.readAll()
        XCTAssertEqual(messages.map(\.topic), ["/camera", "/instruction"])
        XCTAssertEqual(messages.map(\.logTime), [10, 15])
        XCTAssertEqual(try Image(cdrBytes: messages[0].data), image)
        XCTAssertEqual(messages[1].schema?.name, "std_msgs/msg/String")
    }

    /// What a killed recorder leaves: after `flush()` the messages so far are in a complete chunk.
    func testFlushWritesTheOpenChunkBeforeFinish() throws {
        let (recorder, output) = try makeRecorder()
        let hello = StringMessage(data: "hello").cdrBytes()
        XCTAssertEqual(try recorder.record(frames: [Array("/instruction".utf8), hello], receiveTime: 7), .recorded)
        var before = try MCAPStreamReader(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(try before.readAll().count, 0)
        try recorder.flush()
        var after = try MCAPStreamReader(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(try after.readAll().map(\.data), [hello])
        XCTAssertEqual(after.chunkCount, 1)
        XCTAssertEqual(after.end, .endOfInput)
    }

    func testTopicTypeSpec() throws {
        XCTAssertTrue(try TopicTypeSpec.parse("/camera/image_raw").type == Image.self)
        XCTAssertTrue(try TopicTypeSpec.parse("/wrist/compressed").type == CompressedImage.self)
        let explicit = try TopicTypeSpec.parse("/wrist=sensor_msgs/msg/Image")
        XCTAssertEqual(explicit.topic, "/wrist")
        XCTAssertTrue(explicit.type == Image.self)
        XCTAssertThrowsError(try TopicTypeSpec.parse("/wrist")) {
            XCTAssertTrue("\($0)".contains("/wrist=TYPE"), "\($0)")
        }
        XCTAssertThrowsError(try TopicTypeSpec.parse("/x=geometry_msgs/msg/Pose"))
        XCTAssertThrowsError(try TopicTypeSpec.parse("camera"))
        XCTAssertThrowsError(try TopicTypeSpec.parse(""))
    }

    func testReplayClockScalesRecordedSpacing() throws {
        let clock = try ReplayClock(rate: 2)
        XCTAssertEqual(clock.offset(of: 3_000_000_000, firstLogTime: 1_000_000_000), 1.0, accuracy: 1e-12)
        XCTAssertEqual(clock.offset(of: 500, firstLogTime: 1_000), 0)
        XCTAssertThrowsError(try ReplayClock(rate: 0))
        XCTAssertThrowsError(try ReplayClock(rate: -1))
        XCTAssertThrowsError(try ReplayClock(rate: .infinity))
        XCTAssertThrowsError(try ReplayClock(rate: .nan))
    }

    func testPlaybackOrderFiltersAndStops() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .zstd, count: 12)
        var topics: [String] = []
        try BagPlayback.forEachMessage(input: MCAPMemoryInput(bytes), topics: ["/instruction"]) {
            topics.append($0.topic)
            return true
        }
        XCTAssertEqual(topics.count, written.filter { $0.topic == "/instruction" }.count)
        var seen = 0
        try BagPlayback.forEachMessage(input: MCAPMemoryInput(bytes), topics: nil) { _ in
            seen += 1
            return seen < 5
        }
        XCTAssertEqual(seen, 5)
        // An unfinished bag (cut before the summary) plays in file order through the scanner.
        var scanned: [UInt64] = []
        try BagPlayback.forEachMessage(input: MCAPMemoryInput(Array(bytes.dropLast(100))), topics: nil) {
            scanned.append($0.logTime)
            return true
        }
        XCTAssertEqual(scanned, written.map(\.logTime))
    }
}
