import Bag
import Foundation
import Messages
import XCTest

/// rosbag2 metadata of our bags as independent readers see it (tools/interop/check_rosbag2.py):
/// python `mcap` and ruamel read the channel metadata and the `rosbag2` record, rosbags reads the QoS
/// from the channels, opens the bag as a rosbag2 directory built from the record, and checks every
/// topic_type_hash against its own RIHS01 of the bag's schemas. Requires VLA_INTEROP_PYTHON.
final class Rosbag2InteropTests: XCTestCase {
    private struct Output: Decodable {
        struct Record: Decodable {
            struct TopicEntry: Decodable {
                struct Metadata: Decodable {
                    let name: String
                    let type: String
                    let serialization_format: String
                    let type_description_hash: String
                }
                let topic_metadata: Metadata
                let message_count: UInt64
            }
            let version: Int
            let storage_identifier: String
            let message_count: UInt64
            let topics_with_message_count: [TopicEntry]
            let relative_file_paths: [String]
            let ros_distro: String
        }
        struct Directory: Decodable {
            let ros_distro: String?
            let message_count: UInt64
            let digests: [String: String]
            let qos: [String: [QoS]]
            let anyreader_messages: Int
        }
        struct QoS: Decodable, Equatable {
            let history: String
            let depth: Int
            let reliability: String
            let durability: String
            let liveliness: String
        }
        let channels: [String: [String: String]]
        let rosbag2_records: [Record]
        let single_file_qos: [String: [QoS]]
        let directory: Directory
        let rosbags_hashes: [String: String]
    }

    private func check(_ bytes: [UInt8], name: String) throws -> Output {
        let directory = InteropPython.temporaryURL("bag")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try JSONDecoder().decode(Output.self, from: InteropPython.run("check_rosbag2.py", [url.path]))
    }

    /// Our RIHS01 of every msgs/ type equals rosbags' (an independent implementation; for the
    /// standard types both also equal the hashes Jazzy publishes, see TypeHashTests).
    func testOurTypeHashesEqualRosbags() throws {
        let output = try check(makeBag(), name: "run_0.mcap")
        XCTAssertEqual(output.rosbags_hashes.count, MessageCatalog.all.count)
        for type in MessageCatalog.all {
            XCTAssertEqual(try type.typeHash(), output.rosbags_hashes[type.typeName], type.typeName)
        }
    }

    /// Five camera frames, an instruction and three action chunks, named `run_0.mcap` in its
    /// `rosbag2` record.
    private func makeBag() throws -> [UInt8] {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(compression: .lz4, fileName: "run_0.mcap"))
        let camera = try writer.addROS2Channel(Image.self, topic: "/camera/image_raw")
        let chunks = try writer.addROS2Channel(ActionChunk.self, topic: "/vla/action_chunk", qos: [.nodeOutput])
        let instruction = try writer.addROS2Channel(StringMessage.self, topic: "/instruction", qos: [.latchedInstruction])
        try writer.write(StringMessage(data: "pick"), channelID: instruction, logTime: BagFixtures.base)
        for index in 0..<5 {
            try writer.write(Image(height: 1, width: 2, encoding: "mono8", step: 2, data: [1, 2]), channelID: camera,
                             sequence: UInt32(index), logTime: BagFixtures.base + UInt64(index) * 1_000)
            if index % 2 == 0 {
                try writer.write(ActionChunk(inferenceSequence: UInt64(index)), channelID: chunks,
                                 logTime: BagFixtures.base + UInt64(index) * 1_000 + 10)
            }
        }
        try writer.finish()
        return output.bytes
    }

    func testRosbagsReadsOurRosbag2MetadataAndQoS() throws {
        let python = try check(makeBag(), name: "run_0.mcap")

        let expectedHashes = ["/camera/image_raw": try Image.typeHash(), "/vla/action_chunk": try ActionChunk.typeHash(),
                              "/instruction": try StringMessage.typeHash()]
        XCTAssertEqual(python.channels.mapValues { $0["topic_type_hash"] }, expectedHashes)
        let input = Output.QoS(history: "unknown", depth: 0, reliability: "reliable", durability: "volatile", liveliness: "automatic")
        let node = Output.QoS(history: "keep_last", depth: 10, reliability: "reliable", durability: "volatile", liveliness: "automatic")
        let latched = Output.QoS(history: "keep_last", depth: 1, reliability: "reliable", durability: "transient_local", liveliness: "automatic")
        XCTAssertEqual(python.single_file_qos, ["/camera/image_raw": [input], "/vla/action_chunk": [node], "/instruction": [latched]])

        XCTAssertEqual(python.rosbag2_records.count, 1)
        let record = try XCTUnwrap(python.rosbag2_records.first)
        XCTAssertEqual(record.version, 9)
        XCTAssertEqual(record.storage_identifier, "mcap")
        XCTAssertEqual(record.message_count, 9)
        XCTAssertEqual(record.relative_file_paths, ["run_0.mcap"])
        XCTAssertEqual(record.ros_distro, "jazzy")
        XCTAssertEqual(record.topics_with_message_count.map(\.topic_metadata.name),
                       ["/camera/image_raw", "/instruction", "/vla/action_chunk"])
        XCTAssertEqual(record.topics_with_message_count.map(\.message_count), [5, 1, 3])
        XCTAssertEqual(record.topics_with_message_count.map(\.topic_metadata.type),
                       ["sensor_msgs/msg/Image", "std_msgs/msg/String", "vla_msgs/msg/ActionChunk"])
        XCTAssertEqual(record.topics_with_message_count.map(\.topic_metadata.serialization_format), ["cdr", "cdr", "cdr"])
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: record.topics_with_message_count.map {
            ($0.topic_metadata.name, $0.topic_metadata.type_description_hash) }), expectedHashes)

        XCTAssertEqual(python.directory.ros_distro, "jazzy")
        XCTAssertEqual(python.directory.message_count, 9)
        XCTAssertEqual(python.directory.digests, expectedHashes)
        XCTAssertEqual(python.directory.qos, python.single_file_qos)
        XCTAssertEqual(python.directory.anyreader_messages, 9)
    }

    /// A recording killed mid-chunk, recovered: its `rosbag2` record counts what survived, and rosbags
    /// opens it as a rosbag2 directory.
    func testRosbagsReadsTheRecordOfARecoveredBag() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 24)
        let last = try XCTUnwrap(try MCAPIndexedReader(input: MCAPMemoryInput(bytes)).chunkIndexes.last)
        let recovered = MCAPMemoryOutput()
        let report = try BagRecovery.recover(input: MCAPMemoryInput(Array(bytes.prefix(Int(last.chunkStartOffset + 20)))),
                                             to: recovered, options: .init(fileName: "recovered.mcap"))
        let python = try check(recovered.bytes, name: "recovered.mcap")
        XCTAssertEqual(python.rosbag2_records.map(\.message_count), [report.messageCount])
        XCTAssertEqual(python.directory.message_count, report.messageCount)
        XCTAssertEqual(UInt64(python.directory.anyreader_messages), report.messageCount)
        XCTAssertEqual(python.directory.digests.count, 4)
    }
}
