import CWiden

/// A row-major `[rows, columns]` weight matrix kept in the element type it is stored in.
///
/// Checkpoint matrices are regions of the memory-mapped safetensors file, used in place;
/// random benchmark weights are owned allocations. Elements are read only by widening them to
/// F32 (`widen`) or, for aligned F32 storage, in place (`f32Elements`).
public struct StoredMatrix {
    let bytes: WeightBytes
    /// Stored element type.
    public let dtype: WeightDType
    /// Number of rows (output features of a `Linear`).
    public let rows: Int
    /// Number of columns (input features); a row is `columns` consecutive elements.
    public let columns: Int

    /// A matrix over `bytes`, which must hold exactly `rows · columns` elements of `dtype`.
    init(bytes: WeightBytes, dtype: WeightDType, rows: Int, columns: Int) {
        precondition(bytes.count == rows * columns * dtype.size, "stored matrix size does not match its shape")
        self.bytes = bytes
        self.dtype = dtype
        self.rows = rows
        self.columns = columns
    }

    /// A heap copy of F32 values (sources that produce weights only as F32, such as test doubles).
    init(copying values: UnsafePointer<Float>, rows: Int, columns: Int) {
        let count = rows * columns
        self.init(bytes: WeightBytes(allocating: count * 4) { $0.baseAddress?.copyMemory(from: values, byteCount: count * 4) },
                  dtype: .f32, rows: rows, columns: columns)
    }

    /// Bytes the matrix occupies in its stored type.
    public var byteCount: Int { bytes.count }

    /// The elements as F32 in place, when stored as 4-byte-aligned F32; nil otherwise.
    /// Valid while this matrix (which retains its bytes) is alive.
    var f32Elements: UnsafePointer<Float>? {
        guard dtype == .f32, Int(bitPattern: bytes.base) % MemoryLayout<Float>.alignment == 0 else { return nil }
        return bytes.base.assumingMemoryBound(to: Float.self)
    }

    /// Writes elements `column ..< column + count` of `row` as F32 into `destination` (exact).
    func widen(row: Int, column: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows && column >= 0 && count >= 0 && column + count <= columns, "stored matrix read out of bounds")
        let source = bytes.base + (row * columns + column) * dtype.size
        withExtendedLifetime(bytes) {
            switch dtype {
            case .f32: UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: 4 * count)
            case .bf16: vla_widen_bf16(source, destination, count)
            case .f16: vla_widen_f16(source, destination, count)
            }
        }
    }

    /// Writes the elements of `row` at `indices` (each in `0 ..< columns`) as F32 into `destination`.
    func widen(row: Int, gathering indices: UnsafeBufferPointer<Int64>, into destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "stored matrix read out of bounds")
        let source = bytes.base + row * columns * dtype.size
        withExtendedLifetime(bytes) {
            guard let index = indices.baseAddress else { return }
            switch dtype {
            case .f32: vla_copy_f32_gather(source, index, destination, indices.count)
            case .bf16: vla_widen_bf16_gather(source, index, destination, indices.count)
            case .f16: vla_widen_f16_gather(source, index, destination, indices.count)
            }
        }
    }
}
