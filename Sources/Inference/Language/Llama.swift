/// The LLaMA-2 backbone as CogACT uses it: one causal prefill, no LM head. The output is the
/// final-RMSNorm state of the last position (the cognition feature).
///
/// EfficientVLA hooks: `layerIndices` is the list of layers that run (a pruned model loads and
/// runs only a subset), positions are explicit, and `LlamaObserver` can read states and
/// attention probabilities or shrink the sequence after any layer.
///
/// Thread safety: the model reuses its own activation buffers, so one prefill at a time
/// (it belongs to a `CogACTModel`, which has the same rule).
public final class LlamaModel {
    /// The backbone's architecture.
    public let config: LlamaConfig
    /// Layers loaded, ascending; the default execution order.
    public let layerIndices: [Int]
    /// `[vocab, hidden]` in its stored type; only the rows of the prompt's tokens are ever read.
    private let embedding: WeightMatrix
    private let layers: [Int: LlamaLayer]
    private let finalNorm: Tensor
    private let scratch = LlamaScratch()

    /// Loads the embedding table, the final norm and the layers in `keepLayers` (all when nil);
    /// `mlpChannels(layer)` lists the MLP channels a layer keeps (nil = full width).
    init(_ source: WeightSource, config: LlamaConfig, keepLayers: Set<Int>? = nil,
         mlpChannels: (Int) -> [Int]? = { _ in nil }) throws {
        self.config = config
        let prefix = "llm_backbone.llm.model"
        embedding = WeightMatrix(try source.matrix("\(prefix).embed_tokens.weight", shape: [config.vocab, config.hidden]))
        finalNorm = try source.tensor("\(prefix).norm.weight", shape: [config.hidden])
        layerIndices = (0 ..< config.layers).filter { keepLayers?.contains($0) ?? true }
        var layers: [Int: LlamaLayer] = [:]
        for index in layerIndices { layers[index] = try LlamaLayer(source, index: index, config: config, keepChannels: mlpChannels(index)) }
        self.layers = layers
    }

    /// Longest input the prefill accepts: LLaMA-2's context window. It also bounds the
    /// `rows × rows` attention scores, so an overlong prompt is refused instead of exhausting memory.
    public static let maximumSequenceLength = 4096

    /// Throws `InferenceError.sequenceTooLong` when `rows` exceeds `maximumSequenceLength`.
    static func checkSequenceLength(_ rows: Int) throws {
        guard rows <= maximumSequenceLength else { throw InferenceError.sequenceTooLong(rows: rows, maximum: maximumSequenceLength) }
    }

    /// MLP width of each loaded layer (smaller than `config.intermediate` when pruned).
    public var mlpWidths: [Int: Int] { layers.mapValues(\.mlpWidth) }

    /// ‖column c‖₂ of layer `index`'s down projection for each MLP channel c (nil if not loaded).
    func downColumnNorms(layer index: Int) -> [Double]? {
        guard let down = layers[index]?.down else { return nil }
        let out = down.outFeatures, width = down.inFeatures
        var norms = [Double](repeating: 0, count: width)
        let row = Tensor(uninitializedShape: [width])
        withExtendedLifetime(row) {
            for o in 0 ..< out {
                down.weight.fill(row.data, rows: o ..< o + 1, columns: 0 ..< width)
                for c in 0 ..< width { norms[c] += Double(row.data[c]) * Double(row.data[c]) }
            }
        }
        return norms.map { $0.squareRoot() }
    }

    /// Writes the embedding rows of `ids` into `out` (`[ids.count, hidden]`).
    func embed(_ ids: ArraySlice<Int32>, into out: UnsafeMutablePointer<Float>) throws {
        let d = config.hidden
        for (row, id) in ids.enumerated() {
            guard id >= 0, Int(id) < config.vocab else { throw InferenceError.tokenOutOfRange(id: id, vocab: config.vocab) }
            embedding.fill(out + row * d, rows: Int(id) ..< Int(id) + 1, columns: 0 ..< d)
        }
    }

    /// Prefill over an assembled input `sequence` `[rows, hidden]` with explicit RoPE `positions`
    /// (one per row) and an optional layer list; returns the final-norm state of the last row.
    public func prefill(sequence: [Float], positions: [Int], layers: [Int]? = nil, observer: LlamaObserver? = nil) throws -> [Float] {
        guard !positions.isEmpty else { throw InferenceError.emptyTokenList }
        try Self.checkSequenceLength(positions.count)
        guard sequence.count == positions.count * config.hidden else {
            throw InferenceError.wrongInputSize(name: "LLM input sequence", expected: positions.count * config.hidden, found: sequence.count)
        }
        return prefill(rows: positions.count, positions: positions, layers: layers, observer: observer) { h in
            sequence.withUnsafeBufferPointer { h.update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    /// Runs `layers` (default: all loaded, in order; indices not loaded are skipped) at
    /// `positions` over the `[rows, hidden]` input that `writeInput` puts into the prefill's
    /// own buffer, and returns the final-norm state of the last row.
    func prefill(rows: Int, positions: [Int], layers order: [Int]? = nil, observer: LlamaObserver? = nil,
                 writeInput: (UnsafeMutablePointer<Float>) throws -> Void) rethrows -> [Float] {
        let d = config.hidden
        var rows = rows, positions = positions
        let h = scratch.sequence.reserve(rows * d)
        try writeInput(h)
        observer?.didEmbed(states: UnsafeBufferPointer(start: h, count: rows * d), rows: rows, width: d)
        let schedule = (order ?? layerIndices).filter { layers[$0] != nil }
        var rope = RoPETable(positions: positions, headDim: config.headDim, theta: config.ropeTheta)
        for (step, index) in schedule.enumerated() {
            let isLast = step == schedule.count - 1
            let firstQueryRow = isLast && !(observer?.needsAllRowsInLastLayer ?? false) ? rows - 1 : 0
            var sink: Attention.ProbabilitySink?
            if let observer, observer.wantsAttentionProbabilities(layer: index) {
                sink = { head, probabilities, queryRows, keyRows in
                    observer.didComputeAttention(layer: index, head: head,
                                                 probabilities: UnsafeBufferPointer(start: probabilities, count: queryRows * keyRows),
                                                 queryRows: queryRows, keyRows: keyRows)
                }
            }
            var activationSink: ((UnsafeBufferPointer<Float>, Int, Int) -> Void)?
            if let observer, observer.wantsMLPActivations(layer: index) {
                activationSink = { observer.didComputeMLPActivations(layer: index, activations: $0, rows: $1, width: $2) }
            }
            layers[index]!.apply(h, rows: rows, firstQueryRow: firstQueryRow, rope: rope, config: config,
                                 scratch: scratch, probabilitySink: sink, activationSink: activationSink)
            guard let observer else { continue }
            let outputRows = rows - firstQueryRow
            observer.didFinishLayer(index, states: UnsafeBufferPointer(start: h + firstQueryRow * d, count: outputRows * d),
                                    rows: outputRows, width: d)
            if !isLast, let keep = observer.rowsToKeep(afterLayer: index, states: UnsafeBufferPointer(start: h, count: rows * d),
                                                       rows: rows, width: d, positions: positions) {
                let kept = Array(Set(keep.filter { $0 >= 0 && $0 < rows }).union([rows - 1])).sorted()
                compact(rows: kept, in: h)
                positions = kept.map { positions[$0] }
                rows = kept.count
                rope = RoPETable(positions: positions, headDim: config.headDim, theta: config.ropeTheta)
            }
        }
        var cognition = [Float](repeating: 0, count: d)
        cognition.withUnsafeMutableBufferPointer {
            Norms.rmsNorm(h + (rows - 1) * d, rows: 1, width: d, eps: config.rmsNormEps, weight: finalNorm.data, into: $0.baseAddress!)
        }
        return cognition
    }

    /// Moves the selected rows of `h` (ascending indices) to its front, in place: row `kept[i]`
    /// lands on row `i ≤ kept[i]`, so every source row is read before anything overwrites it.
    private func compact(rows kept: [Int], in h: UnsafeMutablePointer<Float>) {
        let d = config.hidden
        for (target, source) in kept.enumerated() where target != source {
            (h + target * d).update(from: h + source * d, count: d)
        }
    }
}
