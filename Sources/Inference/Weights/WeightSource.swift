/// Anything that can hand out named F32 weight tensors of a known shape: a checkpoint on disk
/// (`WeightStore`) or deterministic random weights for benchmarks (`RandomWeights`).
public protocol WeightSource {
    /// Writes the tensor `name`, which must have exactly `shape`, into `destination`
    /// (`shape.reduce(1, *)` floats), converting to F32.
    /// Throws `WeightError.missingTensor` or `WeightError.shapeMismatch` otherwise.
    func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws
}

public extension WeightSource {
    /// The tensor `name` in a new owned buffer; it must have exactly `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let tensor = Tensor(uninitializedShape: shape)
        try read(name, shape: shape, into: tensor.data)
        return tensor
    }
}
