/// Accumulates the Message records of the open chunk and their per-channel index entries.
struct ChunkBuilder {
    private(set) var records: [UInt8] = []
    private(set) var startTime: UInt64 = .max
    private(set) var endTime: UInt64 = 0
    private(set) var messageCount = 0
    /// Per channel: (log time, offset of the record in `records`).
    private(set) var index: [UInt16: [(logTime: UInt64, offset: UInt64)]] = [:]

    var isEmpty: Bool { messageCount == 0 }

    /// The log-time span the chunk would cover if a message at `logTime` were added.
    func span(including logTime: UInt64) -> UInt64 {
        isEmpty ? 0 : max(endTime, logTime) - min(startTime, logTime)
    }

    mutating func append(_ message: MCAPMessageRecord) {
        index[message.channelID, default: []].append((message.logTime, UInt64(records.count)))
        records.append(contentsOf: MCAPRecord.message(message).serialized())
        startTime = min(startTime, message.logTime)
        endTime = max(endTime, message.logTime)
        messageCount += 1
    }

    /// The Chunk record holding the records, compressed with `compression`.
    func chunkRecord(compression: MCAPCompression) throws -> MCAPChunk {
        MCAPChunk(messageStartTime: startTime, messageEndTime: endTime, uncompressedSize: UInt64(records.count),
                  uncompressedCRC: CRC32.checksum(records), compression: compression.rawValue,
                  records: ArraySlice(try compression.compress(records)))
    }

    /// One MessageIndex record per channel with messages, in channel-id order.
    func messageIndexRecords() -> [MCAPMessageIndex] {
        index.keys.sorted().map { MCAPMessageIndex(channelID: $0, entries: index[$0] ?? []) }
    }
}
