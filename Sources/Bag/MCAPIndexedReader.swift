/// Reads a finished MCAP file through its summary: channels, statistics and chunk indexes come from
/// the end of the file, and only the chunks that hold the requested topics and time range are read.
public struct MCAPIndexedReader {
    private let input: MCAPInput
    private let registry: ChannelRegistry

    /// The Header record.
    public let header: MCAPHeader
    /// The Footer record.
    public let footer: MCAPFooter
    /// Schemas by id (from the summary).
    public var schemas: [UInt16: MCAPSchema] { registry.schemas }
    /// Channels by id (from the summary).
    public var channels: [UInt16: MCAPChannel] { registry.channels }
    /// The Statistics record, if the writer wrote one.
    public let statistics: MCAPStatistics?
    /// Every chunk's index, sorted by message start time.
    public let chunkIndexes: [MCAPChunkIndex]
    private let metadataIndexes: [MCAPMetadataIndex]

    /// Reads and checks both magics, the footer, the header and the summary (with its CRC).
    /// Throws `MCAPError.missingSummary` for files without one (read those with `MCAPStreamReader`).
    public init(input: MCAPInput) throws {
        self.input = input
        let footerRecordLength = UInt64(RecordFraming.prefixLength + 20)
        let tailLength = footerRecordLength + UInt64(mcapMagic.count)
        guard input.size >= UInt64(mcapMagic.count) + tailLength else { throw MCAPError.missingSummary }
        guard try input.read(at: 0, count: mcapMagic.count) == mcapMagic else { throw MCAPError.badMagic(offset: 0) }
        let tailStart = input.size - tailLength
        let tail = try input.read(at: tailStart, count: Int(tailLength))
        guard tail.suffix(mcapMagic.count).elementsEqual(mcapMagic) else {
            throw MCAPError.missingSummary
        }
        let footerBytes = tail.prefix(Int(footerRecordLength))
        guard case .footer(let footer) = try RecordFraming.records(in: footerBytes, baseOffset: tailStart).first?.record else {
            throw MCAPError.missingSummary
        }
        self.footer = footer
        guard footer.summaryStart > 0, footer.summaryStart <= tailStart else { throw MCAPError.missingSummary }

        let summary = try input.read(at: footer.summaryStart, count: Int(tailStart - footer.summaryStart))
        if footer.summaryCRC != 0 {
            let actual = CRC32.checksum(summary + footerBytes.prefix(RecordFraming.prefixLength + 16))
            guard actual == footer.summaryCRC else {
                throw MCAPError.crcMismatch(what: "summary", offset: footer.summaryStart,
                                            expected: footer.summaryCRC, actual: actual)
            }
        }
        var registry = ChannelRegistry()
        var statistics: MCAPStatistics?
        var chunkIndexes: [MCAPChunkIndex] = []
        var metadataIndexes: [MCAPMetadataIndex] = []
        for (record, _) in try RecordFraming.records(in: summary[...], baseOffset: footer.summaryStart) {
            switch record {
            case .schema(let schema): registry.add(schema)
            case .channel(let channel): registry.add(channel)
            case .statistics(let stats): statistics = stats
            case .chunkIndex(let index): chunkIndexes.append(index)
            case .metadataIndex(let index): metadataIndexes.append(index)
            default: break
            }
        }
        self.registry = registry
        self.statistics = statistics
        self.chunkIndexes = chunkIndexes.sorted { $0.messageStartTime < $1.messageStartTime }
        self.metadataIndexes = metadataIndexes

        header = try Self.readHeader(from: input)
    }

    /// The Header record right after the leading magic, read at its declared length.
    private static func readHeader(from input: MCAPInput) throws -> MCAPHeader {
        let offset = UInt64(mcapMagic.count)
        let prefix = try input.read(at: offset, count: RecordFraming.prefixLength)
        let (opcode, length) = prefix.count == RecordFraming.prefixLength ? RecordFraming.prefix(prefix[...]) : (0, 0)
        guard opcode == MCAPOpcode.header.rawValue else {
            throw MCAPError.malformedRecord(opcode: opcode, offset: offset, reason: "the first record must be a Header")
        }
        let tooLong = MCAPError.recordTooLong(opcode: opcode, offset: offset, length: length)
        guard length <= RecordFraming.maximumContentLength else { throw tooLong }
        let content = try input.read(at: offset + UInt64(RecordFraming.prefixLength), count: Int(length))
        guard content.count == Int(length) else { throw tooLong }
        guard case .header(let header) = try MCAPRecord.parse(opcode: opcode, content: content[...], offset: offset) else {
            throw MCAPError.malformedRecord(opcode: opcode, offset: offset, reason: "the first record must be a Header")
        }
        return header
    }

    /// The Metadata records the summary indexes, in file order.
    /// - Throws: `MCAPError` when an index does not point at a complete Metadata record.
    public func metadata() throws -> [MCAPMetadata] {
        try metadataIndexes.map { index in
            guard index.length <= RecordFraming.maximumContentLength else {
                throw MCAPError.recordTooLong(opcode: MCAPOpcode.metadata.rawValue, offset: index.offset, length: index.length)
            }
            let bytes = try input.read(at: index.offset, count: Int(index.length))
            guard case .metadata(let metadata) = try RecordFraming.records(in: bytes[...], baseOffset: index.offset).first?.record else {
                throw MCAPError.malformedRecord(opcode: bytes.first ?? 0, offset: index.offset,
                                                reason: "the metadata index does not point at a Metadata record")
            }
            return metadata
        }
    }

    /// Calls `body` with each message on `topics` (nil = all) whose log time is in `timeRange`, in
    /// log-time order (stable for equal times). Chunks that cannot contain a match are not read; a chunk
    /// written without MessageIndex records (empty `messageIndexOffsets`) may hold any channel, so it is read.
    public func forEachMessage(topics: Set<String>? = nil, timeRange: ClosedRange<UInt64> = 0...UInt64.max,
                               _ body: (MCAPMessage) throws -> Void) throws {
        let channelIDs = Set(registry.channels.values.filter { topics?.contains($0.topic) ?? true }.map(\.id))
        let wanted = chunkIndexes.filter { index in
            index.messageEndTime >= timeRange.lowerBound && index.messageStartTime <= timeRange.upperBound
                && (index.messageIndexOffsets.isEmpty || !channelIDs.isDisjoint(with: index.messageIndexOffsets.keys))
        }
        var pending: [MCAPMessage] = []
        for (position, index) in wanted.enumerated() {
            pending += try messages(in: index).filter {
                channelIDs.contains($0.channel.id) && timeRange.contains($0.logTime)
            }
            // Sorted chunk starts bound every later message from below, so earlier ones are final.
            let bound = position + 1 < wanted.count ? wanted[position + 1].messageStartTime : UInt64.max
            pending = pending.enumerated().sorted { ($0.element.logTime, $0.offset) < ($1.element.logTime, $1.offset) }
                .map(\.element)
            let ready = pending.prefix { $0.logTime < bound || bound == UInt64.max }
            for message in ready { try body(message) }
            pending.removeFirst(ready.count)
        }
    }

    /// The messages of the chunk `index` describes, in file order.
    public func messages(in index: MCAPChunkIndex) throws -> [MCAPMessage] {
        guard index.chunkLength <= RecordFraming.maximumContentLength else {
            throw MCAPError.recordTooLong(opcode: MCAPOpcode.chunk.rawValue, offset: index.chunkStartOffset,
                                          length: index.chunkLength)
        }
        let bytes = try input.read(at: index.chunkStartOffset, count: Int(index.chunkLength))
        guard case .chunk(let chunk) = try RecordFraming.records(in: bytes[...], baseOffset: index.chunkStartOffset)
            .first?.record
        else {
            throw MCAPError.malformedRecord(opcode: bytes.first ?? 0, offset: index.chunkStartOffset,
                                            reason: "the chunk index does not point at a Chunk record")
        }
        return try RecordFraming.open(chunk, offset: index.chunkStartOffset).compactMap { record, offset in
            guard case .message(let message) = record else { return nil }
            return try registry.resolve(message, offset: offset)
        }
    }
}
