/// The `LlamaObserver` that applies `VisualTokenSelection` inside the prefill: it reads the
/// attention of the selection layer, picks the visual rows to keep and drops the others for
/// every later layer (BOS and text rows always stay; kept rows keep their RoPE positions).
/// Other observers can be chained behind it through `inner`.
final class VisualTokenSelector: LlamaObserver {
    let settings: AccelerationSettings
    let budget: Int
    let patches: Int
    /// Model index of the layer whose attention selects and after which rows are dropped.
    let layer: Int
    let inner: LlamaObserver?
    private let heads: Int
    private var relevance: [Double] = []
    private var projected: [Float] = []
    /// The selection of the last prefill (visual token indices 0..<patches).
    private(set) var lastSelection: VisualTokenSelection.Selection?

    init(settings: AccelerationSettings, budget: Int, patches: Int, layer: Int, heads: Int, inner: LlamaObserver?) {
        self.settings = settings
        self.budget = budget
        self.patches = patches
        self.layer = layer
        self.heads = heads
        self.inner = inner
    }

    var needsAllRowsInLastLayer: Bool { inner?.needsAllRowsInLastLayer ?? false }

    func didEmbed(states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        relevance = Array(repeating: 0, count: patches)
        lastSelection = nil
        if settings.diversityFeatures == .projectedPatches {
            projected = Array(states[width ..< min(rows, 1 + patches) * width])
        }
        inner?.didEmbed(states: states, rows: rows, width: width)
    }

    func wantsAttentionProbabilities(layer: Int) -> Bool {
        layer == self.layer || (inner?.wantsAttentionProbabilities(layer: layer) ?? false)
    }

    func didComputeAttention(layer: Int, head: Int, probabilities: UnsafeBufferPointer<Float>, queryRows: Int, keyRows: Int) {
        // Before selection the keys are the whole sequence; the text rows are the last queries
        // (under temporal reuse the recomputed patches alone precede them).
        let text = keyRows - 1 - patches
        if layer == self.layer, text > 0, queryRows >= text {
            let context = settings.contextTokens == .allText ? queryRows - text ..< queryRows : queryRows - 1 ..< queryRows
            VisualTokenSelection.accumulateRelevance(probabilities: probabilities, keyRows: keyRows, contextRows: context,
                                                     visualRows: 1 ..< 1 + patches, heads: heads, into: &relevance)
        }
        if inner?.wantsAttentionProbabilities(layer: layer) ?? false {
            inner?.didComputeAttention(layer: layer, head: head, probabilities: probabilities, queryRows: queryRows, keyRows: keyRows)
        }
    }

    func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        inner?.didFinishLayer(layer, states: states, rows: rows, width: width)
    }

    func rowsToKeep(afterLayer layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int, positions: [Int]) -> [Int]? {
        guard layer == self.layer, rows > 1 + patches else {
            return inner?.rowsToKeep(afterLayer: layer, states: states, rows: rows, width: width, positions: positions)
        }
        let scores = VisualTokenSelection.minMaxNormalized(relevance)
        let pick: (UnsafeBufferPointer<Float>) -> VisualTokenSelection.Selection = {
            VisualTokenSelection.select(scores: scores, features: $0, width: width, budget: self.budget,
                                        keyTokens: self.settings.keyTokens, taskRatio: self.settings.taskRatio)
        }
        let selection = settings.diversityFeatures == .projectedPatches
            ? projected.withUnsafeBufferPointer(pick)
            : pick(UnsafeBufferPointer(rebasing: states[width ..< (1 + patches) * width]))
        lastSelection = selection
        return [0] + selection.kept.map { $0 + 1 } + Array(1 + patches ..< rows)
    }
}
