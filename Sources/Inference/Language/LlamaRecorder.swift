/// A `LlamaObserver` that records the full hidden state entering the first layer and leaving
/// every layer, plus the attention probabilities of chosen layers. Used for tests and for
/// EfficientVLA calibration (layer importance, token relevance). It asks the last layer to
/// compute every row, so a recorded prefill costs a little more than a plain one.
public final class LlamaRecorder: LlamaObserver {
    /// Layers whose attention probabilities are kept.
    public let attentionLayers: Set<Int>
    /// `states[0]` is the layer-0 input; `states[i + 1]` the output of the i-th layer run.
    public private(set) var states: [[Float]] = []
    /// Model layer index of each recorded output, aligned with `states[1...]`.
    public private(set) var layers: [Int] = []
    /// Probabilities per recorded layer and head, `[queryRows·keyRows]` each.
    public private(set) var attention: [Int: [[Float]]] = [:]
    /// Width of each state row.
    public private(set) var width = 0

    /// A recorder keeping the attention probabilities of `attentionLayers`.
    public init(attentionLayers: Set<Int> = []) { self.attentionLayers = attentionLayers }

    public var needsAllRowsInLastLayer: Bool { true }

    public func didEmbed(states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        self.states = [Array(states)]
        self.width = width
        layers = []
        attention = [:]
    }

    public func wantsAttentionProbabilities(layer: Int) -> Bool { attentionLayers.contains(layer) }

    public func didComputeAttention(layer: Int, head: Int, probabilities: UnsafeBufferPointer<Float>, queryRows: Int, keyRows: Int) {
        attention[layer, default: []].append(Array(probabilities))
    }

    public func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        self.states.append(Array(states))
        layers.append(layer)
    }

    /// EfficientVLA layer importance of each recorded layer:
    /// `1 − mean over positions of cos(input row, output row)` (needs an unpruned sequence).
    public var layerImportance: [Float] {
        zip(states, states.dropFirst()).map { LayerImportance.score(input: $0, output: $1, width: width) }
    }
}

/// EfficientVLA's layer-importance score (paper Eq. 1, one sample).
public enum LayerImportance {
    /// `1 − (1/L) Σ_j cos(input_j, output_j)` over the `L` rows of two `[L, width]` states.
    public static func score(input: [Float], output: [Float], width: Int) -> Float {
        let rows = min(input.count, output.count) / max(width, 1)
        guard rows > 0 else { return 0 }
        let total = input.withUnsafeBufferPointer { a in
            output.withUnsafeBufferPointer { b in
                (0 ..< rows).reduce(0.0) { $0 + Cosine.similarity(a.baseAddress! + $1 * width, b.baseAddress! + $1 * width, width: width) }
            }
        }
        return Float(1 - total / Double(rows))
    }
}
