@testable import Bag
import Messages
import XCTest

/// Layouts the spec allows that our writer never produces but other writers do: Message records outside
/// chunks, and chunks written without MessageIndex records (empty `messageIndexOffsets` in the ChunkIndex).
final class ForeignLayoutTests: XCTestCase {
    private let schema = MCAPSchema(id: 1, name: StringMessage.typeName, encoding: "ros2msg",
                                    data: Array(StringMessage.schemaText.utf8))
    private let channel = MCAPChannel(id: 3, schemaID: 1, topic: "/t", messageEncoding: "cdr", metadata: [:])

    private func messageRecord(at logTime: UInt64) -> [UInt8] {
        MCAPRecord.message(MCAPMessageRecord(channelID: 3, sequence: 0, logTime: logTime, publishTime: logTime,
                                             data: StringMessage(data: "\(logTime)").cdrBytes())).serialized()
    }

    /// Magic, Header, Schema, Channel.
    private var preamble: [UInt8] {
        mcapMagic + MCAPRecord.header(MCAPHeader(profile: "ros2", library: "test")).serialized()
            + MCAPRecord.schema(schema).serialized() + MCAPRecord.channel(channel).serialized()
    }

    func testStreamReaderReadsMessagesOutsideChunks() throws {
        let bytes = preamble + [10, 20, 30].flatMap(messageRecord) + MCAPRecord.dataEnd(dataSectionCRC: 0).serialized()
        var reader = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
        XCTAssertEqual(try reader.readAll().map(\.logTime), [10, 20, 30])
        XCTAssertEqual(reader.end, .dataEnd)
        XCTAssertEqual(reader.chunkCount, 0)
    }

    func testIndexedReaderReadsChunksWithoutMessageIndexes() throws {
        let records = [10, 20].flatMap(messageRecord)
        let chunkBytes = MCAPRecord.chunk(MCAPChunk(
            messageStartTime: 10, messageEndTime: 20, uncompressedSize: UInt64(records.count),
            uncompressedCRC: CRC32.checksum(records), compression: "", records: records[...])).serialized()
        var bytes = preamble
        let chunkStart = UInt64(bytes.count)
        bytes += chunkBytes + MCAPRecord.dataEnd(dataSectionCRC: 0).serialized()
        let summaryStart = UInt64(bytes.count)
        let chunkIndex = MCAPChunkIndex(
            messageStartTime: 10, messageEndTime: 20, chunkStartOffset: chunkStart, chunkLength: UInt64(chunkBytes.count),
            messageIndexOffsets: [:], messageIndexLength: 0, compression: "", compressedSize: UInt64(records.count),
            uncompressedSize: UInt64(records.count))
        bytes += MCAPRecord.schema(schema).serialized() + MCAPRecord.channel(channel).serialized()
            + MCAPRecord.chunkIndex(chunkIndex).serialized()
        bytes += MCAPRecord.footer(MCAPFooter(summaryStart: summaryStart, summaryOffsetStart: 0, summaryCRC: 0)).serialized()
            + mcapMagic

        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        var times: [UInt64] = []
        try reader.forEachMessage(topics: ["/t"]) { times.append($0.logTime) }
        XCTAssertEqual(times, [10, 20])
    }
}
