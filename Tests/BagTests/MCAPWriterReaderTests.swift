import Bag
import Messages
import XCTest

final class MCAPWriterReaderTests: XCTestCase {
    func testFileStartsWithMagicAndRos2Header() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .none, count: 1)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A])
        XCTAssertEqual(Array(bytes.suffix(8)), Array(bytes.prefix(8)))
        // Header record: opcode 1, u64 length, "ros2" as u32-length-prefixed string.
        XCTAssertEqual(bytes[8], 0x01)
        XCTAssertEqual(Array(bytes[17..<25]), [4, 0, 0, 0] + Array("ros2".utf8))
    }

    func testStreamingAndIndexedReadersReturnEveryMessageForEachCompression() throws {
        for compression in MCAPCompression.allCases {
            let (bytes, written) = try BagFixtures.makeBag(compression: compression)
            var stream = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
            XCTAssertEqual(try stream.readAll().map(BagFixtures.written), written, "\(compression)")
            XCTAssertEqual(stream.end, .dataEnd)
            XCTAssertEqual(stream.header?.profile, "ros2")
            XCTAssertGreaterThan(stream.chunkCount, 3)
            XCTAssertEqual(stream.compressions, [compression.rawValue])

            let indexed = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
            var read: [WrittenMessage] = []
            try indexed.forEachMessage { read.append(BagFixtures.written($0)) }
            XCTAssertEqual(read, written, "\(compression)")
            XCTAssertEqual(indexed.statistics?.messageCount, UInt64(written.count))
            XCTAssertEqual(indexed.chunkIndexes.count, stream.chunkCount)
        }
    }

    func testRos2ChannelsCarrySchemaTextAndCdrEncoding() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 4)
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let image = try XCTUnwrap(reader.channels.values.first { $0.topic == "/camera/image" })
        XCTAssertEqual(image.messageEncoding, "cdr")
        XCTAssertEqual(image.metadata["offered_qos_profiles"], ROS2QoSProfile.yaml([.discoveredDefaultPublisher]))
        XCTAssertEqual(image.metadata["topic_type_hash"], try Image.typeHash())
        let schema = try XCTUnwrap(reader.schemas[image.schemaID])
        XCTAssertEqual(schema.name, "sensor_msgs/msg/Image")
        XCTAssertEqual(schema.encoding, "ros2msg")
        XCTAssertEqual(String(decoding: schema.data, as: UTF8.self), Image.schemaText)
    }

    func testChunksCloseAtTheTimeSpanLimit() throws {
        // 40 messages 50 ms apart with a 200 ms span limit and no size pressure: 5 per chunk → 8 chunks.
        let (bytes, _) = try BagFixtures.makeBag(compression: .none, count: 40, chunkSizeLimit: 1 << 20,
                                                 chunkDurationLimit: 200_000_000)
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        XCTAssertEqual(reader.chunkIndexes.count, 8)
        for index in reader.chunkIndexes {
            XCTAssertLessThanOrEqual(index.messageEndTime - index.messageStartTime, 200_000_000)
        }
    }

    func testTopicAndTimeRangeFilters() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .lz4)
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let range = (BagFixtures.base + 300_000_000)...(BagFixtures.base + 1_200_000_000)
        var read: [WrittenMessage] = []
        try reader.forEachMessage(topics: ["/actions", "/latency"], timeRange: range) { read.append(BagFixtures.written($0)) }
        let expected = written.filter { ["/actions", "/latency"].contains($0.topic) && range.contains($0.logTime) }
        XCTAssertEqual(read, expected)
        XCTAssertFalse(expected.isEmpty)
        var none = 0
        try reader.forEachMessage(topics: ["/unknown"]) { _ in none += 1 }
        XCTAssertEqual(none, 0)
    }

    func testIndexedReaderOrdersByLogTimeAcrossChunks() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(compression: .none, chunkSizeLimit: 1))
        let channel = try writer.addROS2Channel(StringMessage.self, topic: "/t")
        for time: UInt64 in [30, 10, 20] {
            try writer.write(StringMessage(data: "\(time)"), channelID: channel, logTime: time)
        }
        try writer.finish()
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes))
        var times: [UInt64] = []
        try reader.forEachMessage { times.append($0.logTime) }
        XCTAssertEqual(times, [10, 20, 30])
    }

    func testDecodedMessagesEqualWhatWasWritten() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 8)
        var stream = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
        let chunks = try stream.readAll().filter { $0.topic == "/actions" }.map { try ActionChunk(cdrBytes: $0.data) }
        XCTAssertEqual(chunks.map(\.inferenceSequence), [2, 6])
        XCTAssertEqual(chunks.first?.actions, [0.25, -0.5, 2, 1e-3])
    }

    func testIndexedReaderReadsAHeaderLongerThan64KiB() throws {
        let library = String(repeating: "l", count: 70_000)
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(library: library))
        try writer.finish()
        XCTAssertEqual(try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes)).header.library, library)
    }

    func testWriterRejectsMisuse() throws {
        let writer = try MCAPWriter(output: MCAPMemoryOutput())
        XCTAssertThrowsError(try writer.write(channelID: 9, sequence: 0, logTime: 0, publishTime: 0, data: []))
        XCTAssertThrowsError(try writer.addChannel(topic: "/x", schemaID: 5, messageEncoding: "cdr"))
        try writer.finish()
        XCTAssertThrowsError(try writer.addROS2Channel(StringMessage.self, topic: "/late")) {
            XCTAssertEqual($0 as? MCAPError, .invalidWriterState("the file is already finished"))
        }
    }

    func testFileOutputAndInput() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bag-\(UUID().uuidString).mcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try MCAPWriter(path: path)
        let channel = try writer.addROS2Channel(StringMessage.self, topic: "/chatter")
        try writer.write(StringMessage(data: "hi"), channelID: channel, sequence: 1, logTime: 5)
        try writer.finish()
        var reader = try MCAPStreamReader(input: MCAPFileInput(path: path))
        let messages = try reader.readAll()
        XCTAssertEqual(messages.map(\.data), [StringMessage(data: "hi").cdrBytes()])
        XCTAssertThrowsError(try MCAPFileInput(path: path + ".missing"))
    }
}
