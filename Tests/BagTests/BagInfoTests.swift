@testable import Bag
import Messages
import XCTest

final class BagInfoTests: XCTestCase {
    func testInfoFromSummary() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .lz4, count: 10)
        let info = try BagInfo(input: MCAPMemoryInput(bytes))
        XCTAssertTrue(info.fromSummary)
        XCTAssertEqual(info.messageCount, 10)
        XCTAssertEqual(info.fileSize, UInt64(bytes.count))
        XCTAssertEqual(info.compressions, ["lz4"])
        XCTAssertEqual(info.timeSpan, written.first!.logTime...written.last!.logTime)
        XCTAssertEqual(info.duration, 0.45, accuracy: 1e-9)
        XCTAssertEqual(info.topics.map(\.name), ["/actions", "/camera/image", "/instruction", "/latency"])
        XCTAssertEqual(info.topics.map(\.messageCount), [2, 3, 3, 2])
        XCTAssertEqual(info.topics.first?.typeName, "vla_msgs/msg/ActionChunk")
        let text = info.description
        XCTAssertTrue(text.contains("Messages:          10"), text)
        XCTAssertTrue(text.contains("Duration:          0.450000000s"), text)
        XCTAssertTrue(text.contains("Topic: /camera/image | Type: sensor_msgs/msg/Image | Count: 3 | Serialization Format: cdr"), text)
        XCTAssertTrue(text.contains("compression: lz4"), text)
        XCTAssertTrue(text.contains("ROS Distro:        jazzy\n"), text)
        XCTAssertTrue(text.contains("Metadata:          rosbag2: serialized_metadata (bag metadata version 9, "), text)
        XCTAssertEqual(info.rosDistro, "jazzy")
    }

    func testSizesAndTimesAreFormattedForPeople() {
        // rosbag2's format_file_size: no decimals for bytes, one for larger units.
        XCTAssertEqual(BagInfo.formatSize(1023), "1023 B")
        XCTAssertEqual(BagInfo.formatSize(1536), "1.5 KiB")
        XCTAssertEqual(BagInfo.formatSize(5 << 30), "5.0 GiB")
        // 1_700_000_000 s after the epoch is 2023-11-14 22:13:20 UTC; %e pads the day with a space.
        XCTAssertEqual(BagInfo.formatTime(1_700_000_000_123_456_789),
                       "Nov 14 2023 22:13:20.123456789 (1700000000.123456789)")
        XCTAssertEqual(BagInfo.formatTime(5), "Jan  1 1970 00:00:00.000000005 (0.000000005)")
    }

    func testScanAndSummaryAgreeOnAFinishedBag() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 17)
        let fromSummary = try BagInfo(input: MCAPMemoryInput(bytes))
        // Cutting the closing magic leaves the data section intact but hides the summary.
        let scanned = try BagInfo(input: MCAPMemoryInput(Array(bytes.dropLast(1))))
        XCTAssertFalse(scanned.fromSummary)
        XCTAssertEqual(scanned.scanEnd, .dataEnd)
        XCTAssertEqual(scanned.topics, fromSummary.topics)
        XCTAssertEqual(scanned.timeSpan, fromSummary.timeSpan)
        XCTAssertEqual(scanned.chunkCount, fromSummary.chunkCount)
    }

    func testMetadataWrittenBetweenChunksIsIndexedScannedAndShown() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(compression: .zstd))
        let channel = try writer.addROS2Channel(StringMessage.self, topic: "/instruction")
        try writer.write(StringMessage(data: "a"), channelID: channel, logTime: 10)
        let record = MCAPMetadata(name: "vla_node.recorder", metadata: ["dropped./camera/image_raw": "3", "queue_bytes": "1024"])
        try writer.addMetadata(record)  // while a chunk is open
        try writer.write(StringMessage(data: "b"), channelID: channel, logTime: 20)
        try writer.finish()

        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(try reader.metadata().first, record)
        XCTAssertEqual(try reader.metadata().map(\.name), ["vla_node.recorder", "rosbag2"])
        XCTAssertEqual(reader.statistics?.metadataCount, 2)
        var texts: [String] = []
        try reader.forEachMessage { texts.append(try StringMessage(cdrBytes: $0.data).data) }
        XCTAssertEqual(texts, ["a", "b"])
        var stream = try MCAPStreamReader(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(try stream.readAll().count, 2)
        XCTAssertEqual(stream.metadata.first, record)

        let info = try BagInfo(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(info.metadata.first, record)
        XCTAssertEqual(try BagInfo(input: MCAPMemoryInput(Array(output.bytes.dropLast(1)))).metadata, info.metadata)
        XCTAssertTrue(info.description.contains("Metadata:          vla_node.recorder: dropped./camera/image_raw=3 queue_bytes=1024"),
                      info.description)
    }
}
