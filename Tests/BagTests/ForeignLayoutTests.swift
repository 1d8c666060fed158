@testable import Bag
import Messages
import XCTest

/// Hand-built files the spec allows but our writer never produces: Message records outside chunks,
/// chunks without MessageIndex records (empty `messageIndexOffsets`), and hostile Statistics.
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

    /// A finished file: one uncompressed chunk of messages at `logTimes` (no MessageIndex records), DataEnd,
    /// a summary of Schema, Channel, the ChunkIndex and `statistics`, and a Footer without CRC.
    private func finishedFile(logTimes: [UInt64], statistics: MCAPStatistics? = nil) -> [UInt8] {
        let records = logTimes.flatMap(messageRecord)
        let chunkBytes = MCAPRecord.chunk(MCAPChunk(
            messageStartTime: logTimes.min() ?? 0, messageEndTime: logTimes.max() ?? 0,
            uncompressedSize: UInt64(records.count), uncompressedCRC: CRC32.checksum(records), compression: "",
            records: records[...])).serialized()
        var bytes = preamble
        let chunkIndex = MCAPChunkIndex(
            messageStartTime: logTimes.min() ?? 0, messageEndTime: logTimes.max() ?? 0,
            chunkStartOffset: UInt64(bytes.count), chunkLength: UInt64(chunkBytes.count), messageIndexOffsets: [:],
            messageIndexLength: 0, compression: "", compressedSize: UInt64(records.count),
            uncompressedSize: UInt64(records.count))
        bytes += chunkBytes + MCAPRecord.dataEnd(dataSectionCRC: 0).serialized()
        let summaryStart = UInt64(bytes.count)
        bytes += MCAPRecord.schema(schema).serialized() + MCAPRecord.channel(channel).serialized()
            + MCAPRecord.chunkIndex(chunkIndex).serialized() + (statistics.map { MCAPRecord.statistics($0).serialized() } ?? [])
        return bytes + MCAPRecord.footer(MCAPFooter(summaryStart: summaryStart, summaryOffsetStart: 0, summaryCRC: 0))
            .serialized() + mcapMagic
    }

    func testStreamReaderReadsMessagesOutsideChunks() throws {
        let bytes = preamble + [10, 20, 30].flatMap(messageRecord) + MCAPRecord.dataEnd(dataSectionCRC: 0).serialized()
        var reader = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
        XCTAssertEqual(try reader.readAll().map(\.logTime), [10, 20, 30])
        XCTAssertEqual(reader.end, .dataEnd)
        XCTAssertEqual(reader.chunkCount, 0)
    }

    func testIndexedReaderReadsChunksWithoutMessageIndexes() throws {
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(finishedFile(logTimes: [10, 20])))
        var times: [UInt64] = []
        try reader.forEachMessage(topics: ["/t"]) { times.append($0.logTime) }
        XCTAssertEqual(times, [10, 20])
    }

    /// Per-channel counts whose sum overflows UInt64 must not trap `bag info`; the total comes from the
    /// Statistics record's own message count.
    func testInfoWithHostileStatisticsCounts() throws {
        let statistics = MCAPStatistics(
            messageCount: 2, schemaCount: 1, channelCount: 2, attachmentCount: 0, metadataCount: 0, chunkCount: 1,
            messageStartTime: 10, messageEndTime: 20, channelMessageCounts: [3: .max, 4: .max])
        let info = try BagInfo(input: MCAPMemoryInput(finishedFile(logTimes: [10, 20], statistics: statistics)))
        XCTAssertTrue(info.fromSummary)
        XCTAssertEqual(info.messageCount, 2)
        XCTAssertEqual(info.topics.map(\.messageCount), [.max])
    }
}
