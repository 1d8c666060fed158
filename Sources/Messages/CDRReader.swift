/// Decodes ROS 2 CDR (XCDR1, little-endian) with bounds checks on every read: malformed input
/// throws a `CDRError`, it never traps.
public struct CDRReader {
    private let bytes: [UInt8]
    /// The read position in `bytes` (the encapsulation header occupies bytes 0–3).
    public private(set) var offset: Int

    /// Bytes left after the read position.
    public var remaining: Int { bytes.count - offset }

    /// Validates the `00 01 00 00` encapsulation header and positions the reader after it.
    public init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 4 else { throw CDRError.missingEncapsulationHeader(byteCount: bytes.count) }
        let kind = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard kind == 1 else { throw CDRError.unsupportedEncapsulation(kind: kind) }
        self.bytes = bytes
        offset = 4
    }

    /// Skips padding so the next value starts at a multiple of `alignment` after the header.
    private mutating func align(_ alignment: Int) throws {
        let padding = (alignment - (offset - 4) % alignment) % alignment
        try require(padding)
        offset += padding
    }

    private func require(_ count: Int) throws {
        guard count <= remaining else {
            throw CDRError.truncated(needed: count, remaining: remaining, offset: offset)
        }
    }

    /// Reads one primitive, aligned to its size.
    public mutating func read<T: CDRPrimitive>(_ type: T.Type = T.self) throws -> T {
        try align(T.cdrSize)
        try require(T.cdrSize)
        let value = T(cdrBytes: bytes, at: offset)
        offset += T.cdrSize
        return value
    }

    /// Reads a string: uint32 length including the NUL, so the empty string is length 1 (`01 00 00 00 00`);
    /// length 0 is refused, as the ROS 2 (Fast CDR) and rosbags decoders refuse it.
    public mutating func readString() throws -> String {
        let lengthOffset = offset
        let length = try readCount(minimumElementSize: 1)
        guard length > 0 else { throw CDRError.zeroStringLength(offset: lengthOffset) }
        let start = offset
        guard bytes[start + length - 1] == 0 else { throw CDRError.missingStringTerminator(offset: start) }
        offset += length
        guard let string = String(validating: bytes[start..<(start + length - 1)], as: UTF8.self) else {
            throw CDRError.invalidUTF8(offset: start)
        }
        return string
    }

    /// Reads a nested message (no alignment of its own).
    public mutating func read<M: ROSMessage>(_ type: M.Type = M.self) throws -> M {
        try M(from: &self)
    }

    /// Reads a uint32 length and checks that `length * minimumElementSize` bytes remain.
    private mutating func readCount(minimumElementSize: Int) throws -> Int {
        let countOffset = offset
        let count: UInt32 = try read()
        let (needed, overflow) = Int(count).multipliedReportingOverflow(by: minimumElementSize)
        guard !overflow, needed <= remaining else {
            throw CDRError.lengthExceedsRemaining(length: count, remaining: remaining, offset: countOffset)
        }
        return Int(count)
    }

    /// Reads an unbounded sequence of primitives (`T[]`).
    public mutating func readSequence<T: CDRPrimitive>(of type: T.Type = T.self) throws -> [T] {
        let count = try readCount(minimumElementSize: T.cdrSize)
        return try readFixedArray(count: count)
    }

    /// Reads `count` primitives with no count prefix (the elements of a sequence, or a fixed array `T[N]`).
    private mutating func readFixedArray<T: CDRPrimitive>(of type: T.Type = T.self, count: Int) throws -> [T] {
        guard count > 0 else { return [] }
        try align(T.cdrSize)
        let (size, overflow) = count.multipliedReportingOverflow(by: T.cdrSize)
        guard !overflow else { throw CDRError.truncated(needed: Int.max, remaining: remaining, offset: offset) }
        try require(size)
        let start = offset
        offset += size
        if T.self == UInt8.self, let raw = Array(bytes[start..<(start + size)]) as? [T] {
            return raw
        }
        return (0..<count).map { T(cdrBytes: bytes, at: start + $0 * T.cdrSize) }
    }

    /// Skips an unbounded sequence of primitives (`T[]`) without copying it; returns its element count.
    /// Fails exactly where `readSequence` would.
    public mutating func skipSequence<T: CDRPrimitive>(of type: T.Type) throws -> Int {
        let count = try readCount(minimumElementSize: T.cdrSize)
        guard count > 0 else { return 0 }
        try align(T.cdrSize)
        try require(count * T.cdrSize)  // readCount checked that the product fits in what remains
        offset += count * T.cdrSize
        return count
    }

    /// Reads a sequence of strings (`string[]`).
    public mutating func readStringSequence() throws -> [String] {
        let count = try readCount(minimumElementSize: 4)
        var strings: [String] = []
        for _ in 0..<count { strings.append(try readString()) }
        return strings
    }

    /// Checks that at most 3 padding bytes follow the message, as some DDS implementations append.
    public func finish() throws {
        guard remaining <= 3 else { throw CDRError.trailingBytes(count: remaining) }
    }
}
