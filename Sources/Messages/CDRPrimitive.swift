/// A fixed-size CDR primitive: serialized little-endian and aligned to its own size
/// (counted from the byte after the encapsulation header).
public protocol CDRPrimitive {
    /// The serialized size in bytes, which is also the alignment.
    static var cdrSize: Int { get }
    /// Appends the little-endian bytes of the value.
    func appendCDR(to bytes: inout [UInt8])
    /// Builds the value from `cdrSize` little-endian bytes starting at `offset` (bounds already checked).
    init(cdrBytes bytes: [UInt8], at offset: Int)
}

extension CDRPrimitive where Self: FixedWidthInteger {
    /// The integer's byte width.
    public static var cdrSize: Int { MemoryLayout<Self>.size }

    /// Appends the little-endian bytes.
    public func appendCDR(to bytes: inout [UInt8]) {
        var value = self.littleEndian
        withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
    }

    /// Assembles the value from little-endian bytes.
    public init(cdrBytes bytes: [UInt8], at offset: Int) {
        var value: Self = 0
        for index in 0..<Self.cdrSize {
            value |= Self(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
        }
        self = value
    }
}

extension UInt8: CDRPrimitive {}
extension Int8: CDRPrimitive {}
extension UInt16: CDRPrimitive {}
extension Int16: CDRPrimitive {}
extension UInt32: CDRPrimitive {}
extension Int32: CDRPrimitive {}
extension UInt64: CDRPrimitive {}
extension Int64: CDRPrimitive {}

extension Float: CDRPrimitive {
    /// IEEE 754 width in bytes.
    public static var cdrSize: Int { 4 }
    /// Appends the little-endian IEEE 754 bit pattern.
    public func appendCDR(to bytes: inout [UInt8]) { bitPattern.appendCDR(to: &bytes) }
    /// Reads the little-endian IEEE 754 bit pattern.
    public init(cdrBytes bytes: [UInt8], at offset: Int) {
        self.init(bitPattern: UInt32(cdrBytes: bytes, at: offset))
    }
}

extension Double: CDRPrimitive {
    /// IEEE 754 width in bytes.
    public static var cdrSize: Int { 8 }
    /// Appends the little-endian IEEE 754 bit pattern.
    public func appendCDR(to bytes: inout [UInt8]) { bitPattern.appendCDR(to: &bytes) }
    /// Reads the little-endian IEEE 754 bit pattern.
    public init(cdrBytes bytes: [UInt8], at offset: Int) {
        self.init(bitPattern: UInt64(cdrBytes: bytes, at: offset))
    }
}

extension Bool: CDRPrimitive {
    /// One byte.
    public static var cdrSize: Int { 1 }
    /// Appends 1 for true, 0 for false.
    public func appendCDR(to bytes: inout [UInt8]) { bytes.append(self ? 1 : 0) }
    /// Any non-zero byte reads as true, as ROS 2's CDR deserialisers do.
    public init(cdrBytes bytes: [UInt8], at offset: Int) { self = bytes[offset] != 0 }
}
