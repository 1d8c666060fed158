/// Sequential reader of the protobuf wire format (varint, 64-bit, length-delimited, 32-bit fields),
/// with every length and offset bounds-checked.
struct ProtobufReader {
    /// One decoded field value, by wire type.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    /// The next field, or nil at the end of the message.
    mutating func nextField() throws -> (number: Int, value: Value)? {
        guard offset < bytes.endIndex else { return nil }
        let key = try readVarint()
        let number = Int(key >> 3)
        guard number > 0, number <= 536_870_911 else { throw TokenizerError.malformedModel("invalid field number \(key >> 3)") }
        switch key & 7 {
        case 0: return (number, .varint(try readVarint()))
        case 1: return (number, .fixed64(try readLittleEndian(byteCount: 8)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(bytes.endIndex - offset) else {
                throw TokenizerError.malformedModel("field \(number) declares \(length) bytes but only \(bytes.endIndex - offset) remain")
            }
            let start = offset
            offset += Int(length)
            return (number, .lengthDelimited(bytes[start..<offset]))
        case 5: return (number, .fixed32(UInt32(try readLittleEndian(byteCount: 4))))
        default: throw TokenizerError.malformedModel("unsupported wire type \(key & 7) for field \(number)")
        }
    }

    private mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 70, by: 7) {
            guard offset < bytes.endIndex else { throw TokenizerError.malformedModel("truncated varint") }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
        }
        throw TokenizerError.malformedModel("varint longer than 10 bytes")
    }

    private mutating func readLittleEndian(byteCount: Int) throws -> UInt64 {
        guard bytes.endIndex - offset >= byteCount else { throw TokenizerError.malformedModel("truncated fixed-width field") }
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += byteCount
        return value
    }
}

extension ProtobufReader.Value {
    /// The varint payload, or a `malformedModel` error naming `field`.
    func varint(field: String) throws -> UInt64 {
        guard case let .varint(value) = self else { throw TokenizerError.malformedModel("\(field) is not a varint") }
        return value
    }

    /// The length-delimited payload, or a `malformedModel` error naming `field`.
    func bytes(field: String) throws -> ArraySlice<UInt8> {
        guard case let .lengthDelimited(value) = self else { throw TokenizerError.malformedModel("\(field) is not length-delimited") }
        return value
    }

    /// The 32-bit payload as a Float, or a `malformedModel` error naming `field`.
    func float(field: String) throws -> Float {
        guard case let .fixed32(bits) = self else { throw TokenizerError.malformedModel("\(field) is not a 32-bit float") }
        return Float(bitPattern: bits)
    }
}
