import Foundation

/// Element types of the safetensors format. The engine computes with F32, F16 and BF16
/// tensors (and reads integer tensors for tests); the others are only validated.
public enum SafeTensorsDType: String, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16", f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .f8e4m3, .f8e5m2, .i8, .u8, .bool: return 1
        }
    }
}

/// Where one tensor lives inside a safetensors file.
public struct SafeTensorsEntry: Sendable {
    /// Stored element type.
    public let dtype: SafeTensorsDType
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Byte range relative to the start of the data section.
    public let byteRange: Range<Int>
}

/// The parsed and validated header of a safetensors file.
///
/// Layout: 8-byte little-endian header length `n`, `n` bytes of JSON
/// (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`), then the data.
struct SafeTensorsHeader {
    /// Upper bound on the JSON header (the reference implementation uses 100 MB).
    static let maximumHeaderLength = 100 << 20

    let entries: [String: SafeTensorsEntry]
    /// Offset of the data section from the start of the file.
    let dataOffset: Int

    init(bytes: UnsafeRawBufferPointer, file: String) throws {
        guard bytes.count >= 8 else {
            throw WeightError.truncated(file: file, detail: "\(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw WeightError.invalidHeader(file: file, detail: "header length \(declared) exceeds \(Self.maximumHeaderLength) bytes")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= bytes.count else {
            throw WeightError.truncated(file: file, detail: "header needs \(headerLength) bytes, file has \(bytes.count - 8)")
        }
        let json = Data(bytes[8 ..< 8 + headerLength])
        guard let object = try? JSONSerialization.jsonObject(with: json), let root = object as? [String: Any] else {
            throw WeightError.invalidHeader(file: file, detail: "header is not a JSON object")
        }
        dataOffset = 8 + headerLength
        let dataSize = bytes.count - dataOffset
        var entries: [String: SafeTensorsEntry] = [:]
        for (key, value) in root where key != "__metadata__" {
            entries[key] = try Self.parseEntry(key: key, value: value, dataSize: dataSize, file: file)
        }
        try Self.checkNoOverlap(entries, file: file)
        self.entries = entries
    }

    private static func parseEntry(key: String, value: Any, dataSize: Int, file: String) throws -> SafeTensorsEntry {
        guard let fields = value as? [String: Any],
              let dtypeName = fields["dtype"] as? String,
              let shapeValues = fields["shape"] as? [Any],
              let offsetValues = fields["data_offsets"] as? [Any], offsetValues.count == 2
        else {
            throw WeightError.invalidHeader(file: file, detail: "entry '\(key)' needs dtype, shape and two data_offsets")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw WeightError.unsupportedDType(file: file, key: key, dtype: dtypeName)
        }
        let shape = try shapeValues.map { try nonNegativeInt($0, what: "shape of '\(key)'", file: file) }
        let begin = try nonNegativeInt(offsetValues[0], what: "data_offsets of '\(key)'", file: file)
        let end = try nonNegativeInt(offsetValues[1], what: "data_offsets of '\(key)'", file: file)
        guard begin <= end else {
            throw WeightError.invalidHeader(file: file, detail: "'\(key)' has data_offsets [\(begin), \(end)] with begin > end")
        }
        guard end <= dataSize else {
            throw WeightError.truncated(file: file, detail: "'\(key)' ends at data byte \(end) but the data section has \(dataSize) bytes")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw WeightError.invalidHeader(file: file, detail: "shape \(shape) of '\(key)' overflows")
            }
            elements = product
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, byteCount == end - begin else {
            throw WeightError.invalidHeader(
                file: file, detail: "'\(key)' shape \(shape) × \(dtypeName) needs \(elements * dtype.size) bytes, data_offsets give \(end - begin)")
        }
        return SafeTensorsEntry(dtype: dtype, shape: shape, byteRange: begin ..< end)
    }

    private static func nonNegativeInt(_ value: Any, what: String, file: String) throws -> Int {
        guard let number = value as? NSNumber, number.doubleValue >= 0, number.doubleValue < 9.0e15,
              number.doubleValue == number.doubleValue.rounded(.towardZero) else {
            throw WeightError.invalidHeader(file: file, detail: "\(what) must be non-negative integers")
        }
        return Int(number.int64Value)
    }

    private static func checkNoOverlap(_ entries: [String: SafeTensorsEntry], file: String) throws {
        let sorted = entries.filter { !$0.value.byteRange.isEmpty }.sorted { $0.value.byteRange.lowerBound < $1.value.byteRange.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.value.byteRange.lowerBound < previous.value.byteRange.upperBound {
            throw WeightError.invalidHeader(file: file, detail: "tensors '\(previous.key)' and '\(next.key)' overlap")
        }
    }
}
