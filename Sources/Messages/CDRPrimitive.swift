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
    public static var cdrSize: Int { MemoryLayout<Self>.size }

    public func appendCDR(to bytes: inout [UInt8]) {
        var value = self.littleEndian
        withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
    }

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
    public static var cdrSize: Int { 4 }
    public func appendCDR(to bytes: inout [UInt8]) { bitPattern.appendCDR(to: &bytes) }
    public init(cdrBytes bytes: [UInt8], at offset: Int) {
        self.init(bitPattern: UInt32(cdrBytes: bytes, at: offset))
    }
}

extension Double: CDRPrimitive {
    public static var cdrSize: Int { 8 }
    public func appendCDR(to bytes: inout [UInt8]) { bitPattern.appendCDR(to: &bytes) }
    public init(cdrBytes bytes: [UInt8], at offset: Int) {
        self.init(bitPattern: UInt64(cdrBytes: bytes, at: offset))
    }
}
