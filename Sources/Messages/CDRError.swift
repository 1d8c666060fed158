/// Why a CDR byte string could not be decoded.
public enum CDRError: Error, Equatable, CustomStringConvertible {
    /// The buffer is shorter than the 4-byte encapsulation header.
    case missingEncapsulationHeader(byteCount: Int)
    /// The encapsulation header names a representation other than CDR little-endian (`00 01 00 00`).
    case unsupportedEncapsulation(kind: UInt16)
    /// A value needed more bytes than are left.
    case truncated(needed: Int, remaining: Int, offset: Int)
    /// A string or sequence length prefix is larger than the bytes that remain.
    case lengthExceedsRemaining(length: UInt32, remaining: Int, offset: Int)
    /// A string is not terminated by a NUL byte.
    case missingStringTerminator(offset: Int)
    /// A string length prefix is 0; the length counts the NUL, so even the empty string has length 1.
    case zeroStringLength(offset: Int)
    /// A string's bytes are not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// More bytes follow the message than the 0–3 padding bytes DDS implementations may append.
    case trailingBytes(count: Int)
    /// A field holds a value that breaks an invariant of the message type.
    case invalidValue(type: String, reason: String)

    /// A message that says what is wrong and where.
    public var description: String {
        switch self {
        case .missingEncapsulationHeader(let count):
            return "CDR buffer of \(count) bytes is too short for the 4-byte encapsulation header (expected 00 01 00 00)"
        case .unsupportedEncapsulation(let kind):
            return "CDR encapsulation kind 0x\(String(kind, radix: 16)) is not supported; only CDR little-endian (00 01 00 00) is accepted"
        case .truncated(let needed, let remaining, let offset):
            return "CDR buffer truncated at byte \(offset): needed \(needed) more bytes, \(remaining) remain"
        case .lengthExceedsRemaining(let length, let remaining, let offset):
            return "CDR length prefix \(length) at byte \(offset) exceeds the \(remaining) bytes that remain"
        case .missingStringTerminator(let offset):
            return "CDR string at byte \(offset) is not NUL-terminated"
        case .zeroStringLength(let offset):
            return "CDR string length at byte \(offset) is 0; the length includes the NUL terminator, so an empty string is 01 00 00 00 00"
        case .invalidUTF8(let offset):
            return "CDR string at byte \(offset) is not valid UTF-8"
        case .trailingBytes(let count):
            return "CDR message is followed by \(count) unexpected bytes (at most 3 padding bytes are allowed)"
        case .invalidValue(let type, let reason):
            return "invalid \(type): \(reason)"
        }
    }
}
