/// Reads an MCAP file front to back without its summary, so it also reads files whose writer was
/// killed: it stops cleanly at the first incomplete record and reports `.truncated`, having yielded
/// every message of every complete chunk before it.
public struct MCAPStreamReader {
    /// Why reading stopped.
    public enum End: Equatable, Sendable {
        /// The DataEnd record was reached (a finished file).
        case dataEnd
        /// The input ended exactly after a complete record, with no DataEnd (an unfinished file).
        case endOfInput
        /// The input ended inside the record that starts at `offset` (the writer was interrupted).
        case truncated(offset: UInt64)
    }

    private let input: MCAPInput
    private var position: UInt64
    private var crc = CRC32()
    private var registry = ChannelRegistry()
    private var pending: [MCAPMessage] = []
    private var pendingIndex = 0

    /// The Header record, once read.
    public private(set) var header: MCAPHeader?
    /// Set when reading has stopped.
    public private(set) var end: End?
    /// Complete chunks read so far.
    public private(set) var chunkCount = 0
    /// Compression names (`""`, `zstd`, `lz4`) of the chunks read so far.
    public private(set) var compressions: Set<String> = []
    /// Metadata records read so far, in file order.
    public private(set) var metadata: [MCAPMetadata] = []

    /// Schemas seen so far, by id.
    public var schemas: [UInt16: MCAPSchema] { registry.schemas }
    /// Channels seen so far, by id.
    public var channels: [UInt16: MCAPChannel] { registry.channels }

    /// Checks the leading magic; an input that is only a prefix of the magic reads as truncated at 0.
    public init(input: MCAPInput) throws {
        self.input = input
        let magic = try input.read(at: 0, count: mcapMagic.count)
        guard magic.elementsEqual(mcapMagic.prefix(magic.count)) else { throw MCAPError.badMagic(offset: 0) }
        position = UInt64(magic.count)
        crc.update(magic)
        if magic.count < mcapMagic.count { end = .truncated(offset: 0) }
    }

    /// The next message in file order, or nil once reading has stopped (see `end`).
    public mutating func next() throws -> MCAPMessage? {
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            guard end == nil else { return nil }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            try readRecord()
        }
    }

    /// Every remaining message, in file order.
    public mutating func readAll() throws -> [MCAPMessage] {
        var messages: [MCAPMessage] = []
        while let message = try next() { messages.append(message) }
        return messages
    }

    private mutating func readRecord() throws {
        let recordStart = position
        let prefixBytes = try input.read(at: recordStart, count: RecordFraming.prefixLength)
        guard prefixBytes.count == RecordFraming.prefixLength else {
            end = prefixBytes.isEmpty ? .endOfInput : .truncated(offset: recordStart)
            return
        }
        let (opcode, length) = RecordFraming.prefix(prefixBytes[...])
        let contentStart = recordStart + UInt64(RecordFraming.prefixLength)
        guard contentStart <= input.size, length <= input.size - contentStart else {
            end = .truncated(offset: recordStart)
            return
        }
        guard opcode != 0 else {
            throw MCAPError.malformedRecord(opcode: 0, offset: recordStart, reason: "opcode 0 is invalid")
        }
        guard length <= RecordFraming.maximumContentLength else {
            throw MCAPError.recordTooLong(opcode: opcode, offset: recordStart, length: length)
        }
        let content = try input.read(at: contentStart, count: Int(length))
        let crcBefore = crc.value
        crc.update(prefixBytes)
        crc.update(content)
        position = contentStart + length
        try handle(try MCAPRecord.parse(opcode: opcode, content: content[...], offset: recordStart),
                   offset: recordStart, crcBefore: crcBefore)
    }

    private mutating func handle(_ record: MCAPRecord, offset: UInt64, crcBefore: UInt32) throws {
        switch record {
        case .header(let header):
            self.header = header
        case .schema, .channel, .message:
            try take(record, offset: offset)
        case .chunk(let chunk):
            for (inner, innerOffset) in try RecordFraming.open(chunk, offset: offset) {
                try take(inner, offset: innerOffset)
            }
            chunkCount += 1
            compressions.insert(chunk.compression)
        case .dataEnd(let expected):
            guard expected == 0 || expected == crcBefore else {
                throw MCAPError.crcMismatch(what: "data section", offset: offset, expected: expected, actual: crcBefore)
            }
            end = .dataEnd
        case .metadata(let record):
            metadata.append(record)
        case .footer:
            end = .endOfInput
        default:
            break
        }
    }

    private mutating func take(_ record: MCAPRecord, offset: UInt64) throws {
        switch record {
        case .schema(let schema): registry.add(schema)
        case .channel(let channel): registry.add(channel)
        case .message(let message): pending.append(try registry.resolve(message, offset: offset))
        default: break
        }
    }
}
