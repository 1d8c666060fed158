/// Anything that can hand out named weight tensors of a known shape: a checkpoint on disk
/// (`WeightStore`) or deterministic random weights for benchmarks (`RandomWeights`).
public protocol WeightSource {
    /// Writes the tensor `name`, which must have exactly `shape`, into `destination`
    /// (`shape.reduce(1, *)` floats), converting to F32.
    /// Throws `WeightError.missingTensor` or `WeightError.shapeMismatch` otherwise.
    func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws

    /// The tensor `name`, which must have exactly `shape`, as a `[shape[0], product of the rest]`
    /// matrix in its stored element type, without an F32 copy where the source allows it.
    /// The default reads it through `read` into an owned F32 matrix.
    func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix
}

public extension WeightSource {
    /// The tensor `name` in a new owned buffer; it must have exactly `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let tensor = Tensor(uninitializedShape: shape)
        try read(name, shape: shape, into: tensor.data)
        return tensor
    }

    func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        let values = try tensor(name, shape: shape)
        return withExtendedLifetime(values) {
            StoredMatrix(copying: values.data, rows: shape.first ?? 1, columns: shape.dropFirst().reduce(1, *))
        }
    }
}
