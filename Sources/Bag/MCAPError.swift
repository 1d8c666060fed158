/// Why an MCAP file could not be written or read.
public enum MCAPError: Error, Equatable, CustomStringConvertible {
    /// The file does not start (or end) with the MCAP magic `89 4D 43 41 50 30 0D 0A`.
    case badMagic(offset: UInt64)
    /// A record cannot be decoded (content cut short, opcode 0, invalid UTF-8) or is not the record
    /// expected at its place (the Header first, a Chunk where a ChunkIndex points); `reason` says which.
    case malformedRecord(opcode: UInt8, offset: UInt64, reason: String)
    /// A record declares a length the file (or the 1 GiB sanity limit) cannot hold.
    case recordTooLong(opcode: UInt8, offset: UInt64, length: UInt64)
    /// A CRC in the file does not match the bytes it covers.
    case crcMismatch(what: String, offset: UInt64, expected: UInt32, actual: UInt32)
    /// A chunk uses a compression other than "", "zstd" or "lz4".
    case unsupportedCompression(String)
    /// Compressing or decompressing a chunk failed.
    case compressionFailed(String)
    /// The file has no summary section (the writer did not finish); use the streaming reader.
    case missingSummary
    /// A message names a channel that no Channel record defined.
    case unknownChannel(id: UInt16, offset: UInt64)
    /// A channel names a schema that no Schema record defined.
    case unknownSchema(id: UInt16)
    /// Writing was attempted after `finish()`, or with an unregistered id.
    case invalidWriterState(String)
    /// The operating system refused a read or write.
    case io(path: String, reason: String)

    /// A message that says what is wrong and where.
    public var description: String {
        switch self {
        case .badMagic(let offset):
            return "not an MCAP file: bad magic at byte \(offset)"
        case .malformedRecord(let opcode, let offset, let reason):
            return "malformed MCAP record (opcode 0x\(String(opcode, radix: 16))) at byte \(offset): \(reason)"
        case .recordTooLong(let opcode, let offset, let length):
            return "MCAP record (opcode 0x\(String(opcode, radix: 16))) at byte \(offset) declares \(length) bytes, more than the file or the 1 GiB limit holds"
        case .crcMismatch(let what, let offset, let expected, let actual):
            return "\(what) CRC mismatch at byte \(offset): file says 0x\(String(expected, radix: 16)), data gives 0x\(String(actual, radix: 16)) (the file is corrupt)"
        case .unsupportedCompression(let name):
            return "unsupported MCAP chunk compression \"\(name)\" (supported: none, zstd, lz4)"
        case .compressionFailed(let reason):
            return "chunk compression failed: \(reason)"
        case .missingSummary:
            return "the MCAP file has no summary (its writer did not finish); read it with the streaming reader"
        case .unknownChannel(let id, let offset):
            return "message at byte \(offset) uses channel \(id), which no Channel record defines"
        case .unknownSchema(let id):
            return "channel uses schema \(id), which no Schema record defines"
        case .invalidWriterState(let reason):
            return "MCAP writer misuse: \(reason)"
        case .io(let path, let reason):
            return "I/O error on \(path): \(reason)"
        }
    }
}
