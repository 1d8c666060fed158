/// Splitting byte runs into records, and opening chunks.
enum RecordFraming {
    /// Length of the `opcode u8 + length u64` prefix of every record.
    static let prefixLength = 9

    /// Largest record content this package reads (the 1 GiB cap `mcap recover` also uses).
    static let maximumContentLength: UInt64 = 1 << 30

    /// Decodes `opcode u8, length u64` at the start of `bytes` (which holds at least 9 bytes).
    static func prefix(_ bytes: ArraySlice<UInt8>) -> (opcode: UInt8, length: UInt64) {
        let start = bytes.startIndex
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[start + 1 + index]) << (8 * index) }
        return (bytes[start], length)
    }

    /// Decodes every record of a complete run (a chunk's records or the summary); a record running
    /// past the end is malformed. `baseOffset` is the position of `bytes` used in error messages.
    static func records(in bytes: ArraySlice<UInt8>, baseOffset: UInt64) throws -> [(record: MCAPRecord, offset: UInt64)] {
        var result: [(record: MCAPRecord, offset: UInt64)] = []
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let offset = baseOffset + UInt64(position - bytes.startIndex)
            guard bytes.endIndex - position >= prefixLength else {
                throw MCAPError.malformedRecord(opcode: 0, offset: offset, reason: "record prefix cut short")
            }
            let (opcode, length) = prefix(bytes[position...])
            let contentStart = position + prefixLength
            guard length <= UInt64(bytes.endIndex - contentStart) else {
                throw MCAPError.recordTooLong(opcode: opcode, offset: offset, length: length)
            }
            let content = bytes[contentStart..<(contentStart + Int(length))]
            result.append((try MCAPRecord.parse(opcode: opcode, content: content, offset: offset), offset))
            position = contentStart + Int(length)
        }
        return result
    }

    /// The records inside `chunk`, after decompression and a CRC check (CRC 0 means "not recorded").
    static func open(_ chunk: MCAPChunk, offset: UInt64) throws -> [(record: MCAPRecord, offset: UInt64)] {
        let compression = try MCAPCompression(fileName: chunk.compression)
        let records = try compression.decompress(chunk.records, uncompressedSize: chunk.uncompressedSize)
        if chunk.uncompressedCRC != 0 {
            let actual = CRC32.checksum(records)
            guard actual == chunk.uncompressedCRC else {
                throw MCAPError.crcMismatch(what: "chunk", offset: offset, expected: chunk.uncompressedCRC, actual: actual)
            }
        }
        return try self.records(in: records[...], baseOffset: offset)
    }
}
