/// Serializes values as ROS 2 CDR (XCDR1, little-endian) behind the `00 01 00 00` encapsulation header.
public struct CDRWriter {
    /// The 4-byte encapsulation header for CDR little-endian.
    public static let encapsulationHeader: [UInt8] = [0x00, 0x01, 0x00, 0x00]

    /// The serialized message so far, header included.
    public private(set) var bytes: [UInt8]

    /// Starts a message with the encapsulation header; `capacity` reserves room for the payload.
    public init(capacity: Int = 64) {
        bytes = CDRWriter.encapsulationHeader
        bytes.reserveCapacity(capacity + 4)
    }

    /// Pads with zeros so the next value starts at a multiple of `alignment` after the header.
    private mutating func align(_ alignment: Int) {
        let offset = bytes.count - 4
        let padding = (alignment - offset % alignment) % alignment
        bytes.append(contentsOf: repeatElement(0, count: padding))
    }

    /// Writes one primitive, aligned to its size.
    public mutating func write<T: CDRPrimitive>(_ value: T) {
        align(T.cdrSize)
        value.appendCDR(to: &bytes)
    }

    /// Writes a string: uint32 length including the NUL, the UTF-8 bytes, then NUL.
    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count + 1))
        bytes.append(contentsOf: utf8)
        bytes.append(0)
    }

    /// Writes a nested message (no alignment of its own).
    public mutating func write<M: ROSMessage>(_ message: M) {
        message.encode(to: &self)
    }

    /// Writes a sequence length prefix (uint32 element count).
    private mutating func writeCount(_ count: Int) {
        write(UInt32(truncatingIfNeeded: count))
    }

    /// Writes an unbounded sequence of primitives (`T[]`): a uint32 count, then the elements.
    public mutating func writeSequence<T: CDRPrimitive>(_ values: [T]) {
        writeCount(values.count)
        writeFixedArray(values)
    }

    /// Writes primitives with no count prefix (the elements of a sequence, or a fixed array `T[N]`).
    private mutating func writeFixedArray<T: CDRPrimitive>(_ values: [T]) {
        guard !values.isEmpty else { return }
        align(T.cdrSize)
        if T.self == UInt8.self, let raw = values as? [UInt8] {
            bytes.append(contentsOf: raw)
        } else {
            for value in values { value.appendCDR(to: &bytes) }
        }
    }

    /// Writes a sequence of strings (`string[]`).
    public mutating func writeSequence(_ values: [String]) {
        writeCount(values.count)
        for value in values { write(value) }
    }
}
