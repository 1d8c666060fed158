import Bag
import Foundation
import Messages
import XCTest

final class BagRecoveryTests: XCTestCase {
    func testRecoveredBagIsCompleteAndIndexed() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .zstd, count: 24)
        let full = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let third = full.chunkIndexes[2]
        // Cut in the middle of the third chunk: the first two chunks survive.
        let cut = Int(third.chunkStartOffset + third.chunkLength / 2)
        let survivors = try full.messages(in: full.chunkIndexes[0]).count + full.messages(in: full.chunkIndexes[1]).count
        let output = MCAPMemoryOutput()
        let report = try BagRecovery.recover(input: MCAPMemoryInput(Array(bytes.prefix(cut))), to: output)
        XCTAssertEqual(report.messageCount, UInt64(survivors))
        XCTAssertEqual(report.chunkCount, 2)
        XCTAssertEqual(report.end, .truncated(offset: third.chunkStartOffset))

        let recovered = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes))
        XCTAssertEqual(recovered.header.profile, "ros2")
        var messages: [WrittenMessage] = []
        try recovered.forEachMessage { messages.append(BagFixtures.written($0)) }
        XCTAssertEqual(messages, Array(written.prefix(survivors)))
        XCTAssertEqual(recovered.statistics?.messageCount, UInt64(survivors))
    }

    func testMetadataBeforeTheDamageIsKept() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output)
        let channel = try writer.addROS2Channel(StringMessage.self, topic: "/instruction")
        try writer.write(StringMessage(data: "a"), channelID: channel, logTime: 1)
        let record = MCAPMetadata(name: "vla_node.recorder", metadata: ["dropped_total": "4"])
        try writer.addMetadata(record)
        try writer.finish()
        // Without its closing magic the file has no usable summary: recovery scans it.
        let recovered = MCAPMemoryOutput()
        let report = try BagRecovery.recover(input: MCAPMemoryInput(Array(output.bytes.dropLast(1))), to: recovered)
        XCTAssertEqual(report.messageCount, 1)
        let kept = try MCAPIndexedReader(input: MCAPMemoryInput(recovered.bytes)).metadata()
        XCTAssertEqual(kept.map(\.name), ["vla_node.recorder", "rosbag2"])
        XCTAssertEqual(kept.first, record)
    }

    /// A bag killed before `finish()` has no `rosbag2` record; recovery writes one with the counts of
    /// what it kept, and a `rosbag2` record of the damaged file is not copied.
    func testRecoveryWritesOneRosbag2RecordWithTheRecoveredCounts() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .lz4, count: 24)
        let full = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let last = try XCTUnwrap(full.chunkIndexes.last)
        let survivors = 24 - (try full.messages(in: last).count)
        for damaged in [Array(bytes.prefix(Int(last.chunkStartOffset + 20))), Array(bytes.dropLast(1))] {
            let recovered = MCAPMemoryOutput()
            let report = try BagRecovery.recover(input: MCAPMemoryInput(damaged), to: recovered,
                                                 options: .init(fileName: "recovered.mcap"))
            let records = try MCAPIndexedReader(input: MCAPMemoryInput(recovered.bytes)).metadata()
            XCTAssertEqual(records.map(\.name), ["rosbag2"])
            let text = try XCTUnwrap(records.first?.metadata["serialized_metadata"])
            XCTAssertTrue(text.contains("\nmessage_count: \(report.messageCount)\n"), text)
            XCTAssertTrue(text.contains("relative_file_paths:\n  - recovered.mcap\n"), text)
        }
        XCTAssertEqual(try BagRecovery.recover(input: MCAPMemoryInput(Array(bytes.prefix(Int(last.chunkStartOffset + 20)))),
                                               to: MCAPMemoryOutput()).messageCount, UInt64(survivors))
    }

    /// A bag from before type hashes were recorded (channel metadata `offered_qos_profiles: []` only)
    /// gains the published hash on recovery; its QoS stays as recorded.
    func testRecoveryAddsMissingTypeHashes() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output)
        let schema = try writer.addSchema(name: Header.typeName, encoding: "ros2msg", data: Array(Header.schemaText.utf8))
        let channel = try writer.addChannel(topic: "/header", schemaID: schema, messageEncoding: "cdr",
                                            metadata: ["offered_qos_profiles": "[]"])
        try writer.write(Header(), channelID: channel, logTime: 5)
        try writer.finish()
        let recovered = MCAPMemoryOutput()
        _ = try BagRecovery.recover(input: MCAPMemoryInput(Array(output.bytes.dropLast(1))), to: recovered)
        let metadata = try MCAPIndexedReader(input: MCAPMemoryInput(recovered.bytes)).channels.values.first?.metadata
        XCTAssertEqual(metadata, ["offered_qos_profiles": "[]",
                                  "topic_type_hash": "RIHS01_f49fb3ae2cf070f793645ff749683ac6b06203e41c891e17701b1cb597ce6a01"])
    }

    func testRecoveringAnEmptyPrefixGivesAValidEmptyBag() throws {
        let output = MCAPMemoryOutput()
        let report = try BagRecovery.recover(input: MCAPMemoryInput(Array(mcapMagic.prefix(5))), to: output)
        XCTAssertEqual(report.messageCount, 0)
        let info = try BagInfo(input: MCAPMemoryInput(output.bytes))
        XCTAssertTrue(info.fromSummary)
        XCTAssertEqual(info.messageCount, 0)
    }
}
