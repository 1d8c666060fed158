import Bag
import Foundation
import Messages
import XCTest

/// Checks against independent Python implementations (tools/interop): the `mcap` package and `rosbags`.
/// Requires VLA_INTEROP_PYTHON; without it these tests fail with setup instructions.
final class InteropTests: XCTestCase {
    private struct ReadBagOutput: Decodable {
        struct Message: Decodable {
            let topic: String
            let type: String
            let log_time: UInt64
            let publish_time: UInt64
            let sequence: UInt32
            let value_json: String
        }
        let profile: String
        let chunk_count: Int
        let compressions: [String]
        let messages: [Message]
    }

    private struct WrittenByPython: Decodable {
        let topic: String
        let log_time: UInt64
        let publish_time: UInt64
        let sequence: UInt32
        let cdr_hex: String
    }

    private struct Vector: Decodable {
        let type: String
        let cdr_hex: String
    }

    /// (a) Our bags, read by python `mcap` (CRCs validated, summary CRC recomputed) and decoded by
    /// rosbags both from msgs/ types and from the schema text embedded in the bag.
    func testPythonReadsOurBags() throws {
        for compression in MCAPCompression.allCases {
            let (bytes, written) = try BagFixtures.makeBag(compression: compression, count: 24)
            let url = InteropPython.temporaryURL("ours.mcap")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(bytes).write(to: url)
            let output = try JSONDecoder().decode(ReadBagOutput.self, from: InteropPython.run("read_bag.py", [url.path]))
            XCTAssertEqual(output.profile, "ros2")
            XCTAssertEqual(output.compressions, [compression.rawValue])
            XCTAssertGreaterThan(output.chunk_count, 3)
            XCTAssertEqual(output.messages.count, written.count)
            for (python, ours) in zip(output.messages, written) {
                XCTAssertEqual(python.topic, ours.topic)
                XCTAssertEqual(python.type, ours.typeName)
                XCTAssertEqual(python.log_time, ours.logTime)
                XCTAssertEqual(python.publish_time, ours.publishTime)
                XCTAssertEqual(python.sequence, ours.sequence)
                let type = try XCTUnwrap(MessageCatalog.type(named: python.type))
                XCTAssertEqual(try reencode(type, json: python.value_json), ours.data,
                               "rosbags decoded \(python.topic) #\(python.sequence) to different values")
            }
        }
    }

    /// A bag cut mid-chunk and rebuilt by `BagRecovery` is read by python `mcap` and rosbags.
    func testPythonReadsRecoveredBags() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .lz4, count: 24)
        let full = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let last = try XCTUnwrap(full.chunkIndexes.last)
        let output = MCAPMemoryOutput()
        let report = try BagRecovery.recover(
            input: MCAPMemoryInput(Array(bytes.prefix(Int(last.chunkStartOffset + 20)))), to: output)
        let url = InteropPython.temporaryURL("recovered.mcap")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(output.bytes).write(to: url)
        let python = try JSONDecoder().decode(ReadBagOutput.self, from: InteropPython.run("read_bag.py", [url.path]))
        let expected = written.prefix(Int(report.messageCount))
        XCTAssertEqual(python.messages.count, written.count - (try full.messages(in: last).count))
        XCTAssertEqual(python.messages.map(\.log_time), expected.map(\.logTime))
        XCTAssertEqual(python.messages.map(\.topic), expected.map(\.topic))
    }

    /// (b) Bags written by python `mcap` (CDR from rosbags), read by our streaming and indexed readers.
    func testWeReadPythonBags() throws {
        var spec: [String] = []
        var expected: [(topic: String, message: any ROSMessage)] = []
        for (index, message) in MessageExamples.all.enumerated() {
            for repeatIndex in 0..<3 {
                let topic = "/" + type(of: message).typeName.replacingOccurrences(of: "/msg/", with: "_")
                let time = 1_000_000_000 + UInt64(index * 3 + repeatIndex) * 10_000_000
                spec.append("""
                    {"topic": \(try InteropPython.quoted(topic)), "type": "\(type(of: message).typeName)", \
                    "value": \(try InteropPython.json(message)), "log_time": \(time), \
                    "publish_time": \(time + 5), "sequence": \(index * 3 + repeatIndex)}
                    """)
                expected.append((topic, message))
            }
        }
        let specURL = InteropPython.temporaryURL("spec.json")
        defer { try? FileManager.default.removeItem(at: specURL) }
        try Data("[\(spec.joined(separator: ",\n"))]".utf8).write(to: specURL)
        for compression in ["none", "zstd", "lz4"] {
            let bagURL = InteropPython.temporaryURL("python-\(compression).mcap")
            defer { try? FileManager.default.removeItem(at: bagURL) }
            let written = try JSONDecoder().decode([WrittenByPython].self, from: InteropPython.run(
                "write_bag.py", [bagURL.path, compression, specURL.path]))
            XCTAssertEqual(written.count, expected.count)

            var stream = try MCAPStreamReader(input: MCAPFileInput(path: bagURL.path))
            let streamed = try stream.readAll()
            XCTAssertEqual(stream.end, .dataEnd)
            XCTAssertEqual(stream.compressions, [compression == "none" ? "" : compression])
            var indexedMessages: [MCAPMessage] = []
            let indexed = try MCAPIndexedReader(input: MCAPFileInput(path: bagURL.path))
            try indexed.forEachMessage { indexedMessages.append($0) }
            XCTAssertGreaterThan(indexed.chunkIndexes.count, 1)
            XCTAssertEqual(indexedMessages, streamed)
            XCTAssertEqual(streamed.count, written.count)
            for ((python, ours), want) in zip(zip(written, streamed), expected) {
                XCTAssertEqual(ours.topic, python.topic)
                XCTAssertEqual(ours.logTime, python.log_time)
                XCTAssertEqual(ours.publishTime, python.publish_time)
                XCTAssertEqual(ours.sequence, python.sequence)
                XCTAssertEqual(ours.data, try InteropPython.bytes(hex: python.cdr_hex))
                XCTAssertEqual(ours.schema?.name, type(of: want.message).typeName)
                try assertDecodes(ours.data, to: want.message)
            }
        }
    }

    /// (c) CDR from rosbags for every type decodes to the same values here and re-encodes byte for byte.
    func testRosbagsCDRDecodesAndReencodesIdentically() throws {
        let spec = try MessageExamples.all.map { message in
            "{\"type\": \"\(type(of: message).typeName)\", \"value\": \(try InteropPython.json(message))}"
        }
        let specURL = InteropPython.temporaryURL("vectors.json")
        defer { try? FileManager.default.removeItem(at: specURL) }
        try Data("[\(spec.joined(separator: ",\n"))]".utf8).write(to: specURL)
        let vectors = try JSONDecoder().decode([Vector].self, from: InteropPython.run("cdr_vectors.py", [specURL.path]))
        XCTAssertEqual(vectors.count, MessageExamples.all.count)
        XCTAssertEqual(Set(vectors.map(\.type)), Set(MessageCatalog.all.map { $0.typeName }))
        for (vector, message) in zip(vectors, MessageExamples.all) {
            let bytes = try InteropPython.bytes(hex: vector.cdr_hex)
            try assertDecodes(bytes, to: message)
            XCTAssertEqual(message.cdrBytes(), bytes, "\(vector.type): our encoding differs from rosbags")
        }
    }

    /// The standard .msg files equal ROS 2 Jazzy's definitions field for field; all parse in rosbags.
    func testMsgFilesMatchROS2() throws {
        struct Checked: Decodable { let checked: [String] }
        let output = try JSONDecoder().decode(Checked.self, from: InteropPython.run("check_msgs.py", []))
        XCTAssertEqual(Set(output.checked), Set(MessageCatalog.all.map { $0.typeName }))
    }

    private func assertDecodes<M: ROSMessage>(_ bytes: [UInt8], to expected: M, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try M(cdrBytes: bytes), expected, "\(M.typeName)", file: file, line: line)
    }

    private func reencode<M: ROSMessage>(_ type: M.Type, json: String) throws -> [UInt8] {
        try InteropPython.message(M.self, json: json).cdrBytes()
    }
}
