/// Anything that can hand out named F32 weight tensors of a known shape: a checkpoint on disk
/// (`WeightStore`) or deterministic random weights for benchmarks (`RandomWeights`).
public protocol WeightSource {
    /// The tensor `name`, which must have exactly `shape`.
    /// Throws `WeightError.missingTensor` or `WeightError.shapeMismatch` otherwise.
    func tensor(_ name: String, shape: [Int]) throws -> Tensor
}
