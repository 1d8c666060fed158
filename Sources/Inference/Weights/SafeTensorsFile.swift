/// One memory-mapped, header-validated safetensors file.
///
/// Weight matrices are used in place (`matrix`): they keep the map alive and stay in their
/// stored type. Small tensors (norms, biases, embeddings of positions) are copied out into
/// owned F32 `Tensor`s (`read`, `floatTensor`).
public final class SafeTensorsFile {
    /// Path of the file, used in error messages.
    public let path: String
    private let mapping: MappedFile
    private let header: SafeTensorsHeader

    /// Maps `path` and validates its header (length, JSON, dtypes, offsets inside the file,
    /// no overlaps, shape × dtype size = byte length).
    public init(path: String) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        header = try mapping.withBytes { try SafeTensorsHeader(bytes: $0, file: path) }
    }

    /// Names of every tensor in the file.
    public var keys: [String] { Array(header.entries.keys) }

    /// The header entry of `key`, or nil if absent.
    public func entry(_ key: String) -> SafeTensorsEntry? { header.entries[key] }

    /// The tensor `key` converted to F32, checking its shape when `expectedShape` is given.
    public func floatTensor(_ key: String, expectedShape: [Int]? = nil) throws -> Tensor {
        let shape = try expectedShape ?? lookup(key).shape
        let tensor = Tensor(uninitializedShape: shape)
        try read(key, expectedShape: shape, into: tensor.data)
        return tensor
    }

    /// Converts the tensor `key` to F32 into `destination`, which holds `expectedShape`'s element count.
    public func read(_ key: String, expectedShape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        let entry = try lookup(key)
        guard expectedShape == entry.shape else {
            throw WeightError.shapeMismatch(key: key, expected: expectedShape, found: entry.shape, file: path)
        }
        try withRawBytes(entry) { source in
            let count = source.count / entry.dtype.size
            switch entry.dtype {
            case .f32:
                if count > 0 { UnsafeMutableRawPointer(destination).copyMemory(from: source.baseAddress!, byteCount: source.count) }
            case .f16:
                for index in 0 ..< count {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                    destination[index] = Float(Float16(bitPattern: bits))
                }
            case .bf16:
                for index in 0 ..< count {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                    destination[index] = Float(bitPattern: UInt32(bits) << 16)
                }
            default:
                throw WeightError.wrongElementType(key: key, requested: "F32 (weights must be F32, F16 or BF16)", found: entry.dtype.rawValue, file: path)
            }
        }
    }

    /// The tensor `key`, which must have exactly `expectedShape` (at least one dimension), as a
    /// `[shape[0], product of the rest]` matrix over the mapped bytes, without copying.
    public func matrix(_ key: String, expectedShape: [Int]) throws -> StoredMatrix {
        let entry = try lookup(key)
        guard expectedShape == entry.shape, let rows = expectedShape.first else {
            throw WeightError.shapeMismatch(key: key, expected: expectedShape, found: entry.shape, file: path)
        }
        guard let dtype = WeightDType(entry.dtype) else {
            throw WeightError.wrongElementType(key: key, requested: "F32, F16 or BF16 weights", found: entry.dtype.rawValue, file: path)
        }
        let start = header.dataOffset + entry.byteRange.lowerBound
        return StoredMatrix(bytes: mapping.region(start ..< start + entry.byteRange.count), dtype: dtype,
                            rows: rows, columns: expectedShape.dropFirst().reduce(1, *))
    }

    /// The integer tensor `key` (I32, I64 or U8) as `Int`s, with its shape.
    public func integerTensor(_ key: String) throws -> (shape: [Int], values: [Int]) {
        let entry = try lookup(key)
        let count = entry.shape.reduce(1, *)
        let values: [Int] = try withRawBytes(entry) { source in
            switch entry.dtype {
            case .i32:
                return (0 ..< count).map { Int(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
            case .i64:
                return (0 ..< count).map { Int(Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
            case .u8:
                return source.map { Int($0) }
            default:
                throw WeightError.wrongElementType(key: key, requested: "I32, I64 or U8", found: entry.dtype.rawValue, file: path)
            }
        }
        return (entry.shape, values)
    }

    private func lookup(_ key: String) throws -> SafeTensorsEntry {
        guard let entry = header.entries[key] else { throw WeightError.missingTensor(key: key, searched: path) }
        return entry
    }

    /// Calls `body` with the stored bytes of `entry` inside the map, valid only during the call.
    /// They may start at any file offset (the format does not align tensors), so `body` reads them
    /// with `loadUnaligned` or `copyMemory`.
    private func withRawBytes<R>(_ entry: SafeTensorsEntry, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = header.dataOffset + entry.byteRange.lowerBound
        return try mapping.withBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start ..< start + entry.byteRange.count])) }
    }
}
