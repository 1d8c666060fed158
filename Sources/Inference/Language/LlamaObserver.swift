/// Optional hooks into the LLaMA prefill, for tests, layer-importance calibration and
/// EfficientVLA visual-token selection. Every method has a no-op default; with no observer
/// the forward pass does no extra work.
///
/// Every `UnsafeBufferPointer` argument points into the prefill's own activation buffers: it is
/// valid only during the call (the next layer overwrites it, a later prefill may reallocate it).
/// Copy what you keep, e.g. `Array(states)`; never store the pointer.
public protocol LlamaObserver: AnyObject {
    /// Whether the last layer must compute every row (default false: only the last row, which
    /// is all the cognition feature needs). Return true to observe the full last-layer output.
    var needsAllRowsInLastLayer: Bool { get }

    /// Called once with the sequence entering the first layer (`[rows, width]`).
    func didEmbed(states: UnsafeBufferPointer<Float>, rows: Int, width: Int)

    /// Whether to report the softmax probabilities of `layer` (model layer index).
    func wantsAttentionProbabilities(layer: Int) -> Bool

    /// Softmax probabilities `[queryRows, keyRows]` of one head (causal rows are zero-padded).
    func didComputeAttention(layer: Int, head: Int, probabilities: UnsafeBufferPointer<Float>, queryRows: Int, keyRows: Int)

    /// Whether to report the MLP activations `silu(gate)·up` of `layer`.
    func wantsMLPActivations(layer: Int) -> Bool

    /// The MLP activations `[rows, width]` of one layer (rows = the rows the layer computed).
    func didComputeMLPActivations(layer: Int, activations: UnsafeBufferPointer<Float>, rows: Int, width: Int)

    /// Called after each layer with its output `[rows, width]`. In a last layer that computed
    /// only the final row, just that row is valid and `rows == 1`.
    func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int)

    /// After `layer`, may return the ascending indices of rows to keep (e.g. the selected
    /// visual tokens plus all text rows). Kept rows keep their original RoPE positions. Out-of-range
    /// indices are ignored and the last row (the cognition token) is always kept. Return nil to keep every row.
    func rowsToKeep(afterLayer layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int, positions: [Int]) -> [Int]?
}

public extension LlamaObserver {
    var needsAllRowsInLastLayer: Bool { false }
    func didEmbed(states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {}
    func wantsAttentionProbabilities(layer: Int) -> Bool { false }
    func didComputeAttention(layer: Int, head: Int, probabilities: UnsafeBufferPointer<Float>, queryRows: Int, keyRows: Int) {}
    func wantsMLPActivations(layer: Int) -> Bool { false }
    func didComputeMLPActivations(layer: Int, activations: UnsafeBufferPointer<Float>, rows: Int, width: Int) {}
    func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {}
    func rowsToKeep(afterLayer layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int, positions: [Int]) -> [Int]? { nil }
}
