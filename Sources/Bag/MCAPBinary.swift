/// Appends MCAP's little-endian primitives, strings, byte arrays and maps.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
    }

    /// `uint32` byte length, then UTF-8.
    mutating func write(_ string: String) {
        write(UInt32(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    /// Raw bytes with no prefix.
    mutating func append<C: Collection>(_ raw: C) where C.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// A `uint32` byte length, then the pairs (sorted by key for a stable layout).
    mutating func write(_ map: [String: String]) {
        var body = BinaryWriter()
        for key in map.keys.sorted() {
            body.write(key)
            body.write(map[key] ?? "")
        }
        write(UInt32(body.bytes.count))
        append(body.bytes)
    }

    /// A `uint32` byte length, then `key u16, value u64` pairs sorted by key.
    mutating func write(_ map: [UInt16: UInt64]) {
        write(UInt32(map.count * 10))
        for key in map.keys.sorted() {
            write(key)
            write(map[key] ?? 0)
        }
    }
}

/// Reads MCAP's little-endian fields from a record's content, throwing on every overrun.
struct BinaryReader {
    let bytes: ArraySlice<UInt8>
    private(set) var position: Int
    /// Opcode and file offset of the record, for error messages.
    let opcode: UInt8
    let recordOffset: UInt64

    init(_ bytes: ArraySlice<UInt8>, opcode: UInt8, recordOffset: UInt64) {
        self.bytes = bytes
        position = bytes.startIndex
        self.opcode = opcode
        self.recordOffset = recordOffset
    }

    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position >= bytes.endIndex }

    private func fail(_ reason: String) -> MCAPError {
        .malformedRecord(opcode: opcode, offset: recordOffset, reason: reason)
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw fail("needs \(size) bytes for an integer, \(remaining) remain") }
        var value: T = 0
        for index in 0..<size { value |= T(truncatingIfNeeded: bytes[position + index]) << (8 * index) }
        position += size
        return value
    }

    mutating func readBytes(count: UInt64) throws -> ArraySlice<UInt8> {
        guard count <= UInt64(remaining) else { throw fail("declares \(count) bytes, \(remaining) remain") }
        let start = position
        position += Int(count)
        return bytes[start..<position]
    }

    mutating func readRest() -> ArraySlice<UInt8> {
        defer { position = bytes.endIndex }
        return bytes[position..<bytes.endIndex]
    }

    mutating func readString() throws -> String {
        let length: UInt32 = try read()
        let raw = try readBytes(count: UInt64(length))
        guard let string = String(validating: raw, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return string
    }

    /// A `uint32` byte length, then entries read by `entry` until those bytes end (maps, MessageIndex).
    mutating func readEntries<Entry>(_ entry: (inout BinaryReader) throws -> Entry) throws -> [Entry] {
        let length: UInt32 = try read()
        var body = BinaryReader(try readBytes(count: UInt64(length)), opcode: opcode, recordOffset: recordOffset)
        var entries: [Entry] = []
        while !body.isAtEnd { entries.append(try entry(&body)) }
        return entries
    }

    mutating func readStringMap() throws -> [String: String] {
        let pairs = try readEntries { (try $0.readString(), try $0.readString()) }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    mutating func readCountMap() throws -> [UInt16: UInt64] {
        let pairs: [(UInt16, UInt64)] = try readEntries { (try $0.read(), try $0.read()) }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }
}
