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
    /// The rows each executed layer of the last prefill computed (the real work under reuse).
    public private(set) var lastWork: [LLMLayerWork] = []

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
    ///
    /// With `reuse`, the rows it names stop being recomputed from its start layer on: their
    /// keys/values come from the cache of the previous prefill, and the cache is rewritten for the
    /// next one. Under reuse an observer can shrink the sequence only at the selection layer.
    func prefill(rows: Int, positions: [Int], layers order: [Int]? = nil, observer: LlamaObserver? = nil,
                 reuse: PrefillReuse? = nil, writeInput: (UnsafeMutablePointer<Float>) throws -> Void) rethrows -> [Float] {
        let d = config.hidden
        let h = scratch.sequence.reserve(rows * d)
        try writeInput(h)
        observer?.didEmbed(states: UnsafeBufferPointer(start: h, count: rows * d), rows: rows, width: d)
        let schedule = (order ?? layerIndices).filter { layers[$0] != nil }
        if let reuse { reuse.cache.begin(.init(inputIDs: reuse.inputIDs, schedule: schedule, rows: rows)) }
        var state = PrefillRows(positions: positions)
        var rope = RoPETable(positions: positions, headDim: config.headDim, theta: config.ropeTheta)
        var work: [LLMLayerWork] = []
        for (step, index) in schedule.enumerated() {
            let isLast = step == schedule.count - 1
            if let reuse, step >= reuse.startPosition {
                let frozen = state.active.filter {
                    reuse.reusedRows.contains($0) && reuse.cache.canReuse(row: $0, from: step, selection: reuse.selectionPosition)
                }
                if !frozen.isEmpty {
                    reuse.cache.noteReused(frozen)
                    compact(rows: state.deactivate(Set(frozen)), in: h)
                    rope = RoPETable(positions: state.activePositions, headDim: config.headDim, theta: config.ropeTheta)
                }
            }
            let active = state.active.count
            let firstQueryRow = isLast && !(observer?.needsAllRowsInLastLayer ?? false) ? active - 1 : 0
            var activationSink: ((UnsafeBufferPointer<Float>, Int, Int) -> Void)?
            if let observer, observer.wantsMLPActivations(layer: index) {
                activationSink = { observer.didComputeMLPActivations(layer: index, activations: $0, rows: $1, width: $2) }
            }
            let reusedKeyValues = reuse.flatMap { keyValuesWithReusedRows(state, step: step, cache: $0.cache) }
            layers[index]!.apply(h, rows: active, firstQueryRow: firstQueryRow, rope: rope, config: config, scratch: scratch,
                                 probabilitySink: attentionSink(layer: index, step: step, observer: observer, reuse: reuse,
                                                                state: state, firstQueryRow: firstQueryRow),
                                 activationSink: activationSink, reusedKeyValues: reusedKeyValues)
            if let reuse { record(state, step: step, reuse: reuse, keyValues: reusedKeyValues, h: h) }
            work.append(LLMLayerWork(recomputedRows: active, queryRows: active - firstQueryRow, keyRows: state.sequence.count,
                                     mlpWidth: layers[index]!.mlpWidth))
            guard let observer else { continue }
            observer.didFinishLayer(index, states: UnsafeBufferPointer(start: h + firstQueryRow * d, count: (active - firstQueryRow) * d),
                                    rows: active - firstQueryRow, width: d)
            guard !isLast, state.allActive || step == reuse?.selectionPosition else { continue }
            let rowCount = state.sequence.count
            let states = state.allActive ? h : mergedStates(state, h: h, cache: reuse!.cache)
            if let keep = observer.rowsToKeep(afterLayer: index, states: UnsafeBufferPointer(start: states, count: rowCount * d),
                                              rows: rowCount, width: d, positions: state.sequencePositions) {
                let kept = Array(Set(keep.filter { $0 >= 0 && $0 < rowCount }).union([rowCount - 1])).sorted()
                shrink(to: kept, state: &state, h: h, cache: reuse?.cache, nextPosition: step + 1)
                rope = RoPETable(positions: state.activePositions, headDim: config.headDim, theta: config.ropeTheta)
            }
        }
        lastWork = work
        var cognition = [Float](repeating: 0, count: d)
        cognition.withUnsafeMutableBufferPointer {
            Norms.rmsNorm(h + (state.active.count - 1) * d, rows: 1, width: d, eps: config.rmsNormEps, weight: finalNorm.data,
                          into: $0.baseAddress!)
        }
        return cognition
    }

    /// The probability sink of one layer: the observer's, and the reuse relevance at its layer.
    private func attentionSink(layer index: Int, step: Int, observer: LlamaObserver?, reuse: PrefillReuse?,
                               state: PrefillRows, firstQueryRow: Int) -> Attention.ProbabilitySink? {
        let observed = observer?.wantsAttentionProbabilities(layer: index) ?? false
        let scoring = reuse.map { $0.relevancePosition == step } ?? false
        guard observed || scoring else { return nil }
        var relevance: ((UnsafeBufferPointer<Float>, Int) -> Void)?
        if scoring, let reuse {
            // The text rows (everything after the patches) are recomputed and come last among the queries.
            let keys = state.sequence, heads = config.heads, queries = state.active.count - firstQueryRow
            let textQueries = max(0, queries - state.active.filter { $0 > reuse.patches }.count) ..< queries
            relevance = { buffer, keyRows in
                reuse.cache.accumulateRelevance(probabilities: buffer, keyRows: keyRows, textQueries: textQueries, keys: keys,
                                                patches: reuse.patches, heads: heads)
            }
        }
        return { head, probabilities, queryRows, keyRows in
            let buffer = UnsafeBufferPointer(start: probabilities, count: queryRows * keyRows)
            if observed { observer!.didComputeAttention(layer: index, head: head, probabilities: buffer, queryRows: queryRows, keyRows: keyRows) }
            relevance?(buffer, keyRows)
        }
    }

    /// The whole sequence's keys/values for a layer where some rows are reused (their cached
    /// entries copied in); nil when every row is recomputed.
    private func keyValuesWithReusedRows(_ state: PrefillRows, step: Int, cache: PrefillCache) -> ReusedKeyValues? {
        guard !state.allActive else { return nil }
        let width = cache.rowWidth
        let buffer = scratch.keyValues.reserve(state.sequence.count * width)
        let active = Set(state.active)
        for (key, row) in state.sequence.enumerated() where !active.contains(row) {
            (buffer + key * width).update(from: cache.entry(row: row, at: step), count: width)
        }
        return ReusedKeyValues(buffer: buffer, keyRows: state.sequence.count, keyIndices: state.activeKeyIndices)
    }

    /// Writes what layer `step` computed into the cache: the recomputed rows' keys/values, which
    /// rows the layer saw, and at the selection layer the states of the recomputed rows.
    private func record(_ state: PrefillRows, step: Int, reuse: PrefillReuse, keyValues: ReusedKeyValues?, h: UnsafePointer<Float>) {
        let cache = reuse.cache, d = config.hidden
        let kvWidth = config.kvHeads * config.headDim, qkvWidth = config.heads * config.headDim + 2 * kvWidth
        for (i, row) in state.active.enumerated() {
            if let keyValues {
                let entry = keyValues.buffer + keyValues.keyIndices[i] * cache.rowWidth
                cache.store(row: row, at: step, key: entry, value: entry + kvWidth)
            } else {
                let entry = scratch.qkv.pointer + i * qkvWidth + config.heads * config.headDim
                cache.store(row: row, at: step, key: entry, value: entry + kvWidth)
            }
        }
        cache.setPresent(state.sequence, at: step)
        guard step == reuse.selectionPosition else { return }
        for (i, row) in state.active.enumerated() where row >= 1 && row <= reuse.patches {
            cache.storeSelectionState(row: row, from: h + i * d)
        }
    }

    /// The states of the whole sequence `[sequence, hidden]` at the selection layer: recomputed rows
    /// from `h`, reused ones from their stored selection state.
    private func mergedStates(_ state: PrefillRows, h: UnsafePointer<Float>, cache: PrefillCache) -> UnsafeMutablePointer<Float> {
        let d = config.hidden
        let merged = scratch.merged.reserve(state.sequence.count * d)
        var next = 0
        for (key, row) in state.sequence.enumerated() {
            let target = merged + key * d
            if next < state.active.count, state.active[next] == row {
                target.update(from: h + next * d, count: d)
                next += 1
            } else if let stored = cache.selectionState(row: row) {
                target.update(from: stored, count: d)
            } else {
                target.initialize(repeating: 0, count: d)
            }
        }
        return merged
    }

    /// Shrinks the sequence to the `kept` key indices (ascending). Kept recomputed rows stay in `h`;
    /// a kept reused row whose later layers hold no cache entry resumes from its stored selection state.
    private func shrink(to kept: [Int], state: inout PrefillRows, h: UnsafeMutablePointer<Float>, cache: PrefillCache?,
                      nextPosition: Int) {
        let d = config.hidden
        let resumed = cache.map { cache in
            Set(kept.map { state.sequence[$0] }.filter { row in
                !state.active.contains(row) && !cache.isValid(row: row, at: nextPosition) && cache.selectionState(row: row) != nil
            })
        } ?? []
        let sources = state.keep(kept, resuming: resumed)
        if resumed.isEmpty {
            compact(rows: sources.map { $0! }, in: h)
            return
        }
        let staged = scratch.merged.reserve(sources.count * d)
        for (target, source) in sources.enumerated() {
            let from: UnsafePointer<Float>
            if let source {
                from = UnsafePointer(h + source * d)
            } else {
                from = UnsafePointer(cache!.selectionState(row: state.active[target])!)
            }
            (staged + target * d).update(from: from, count: d)
        }
        h.update(from: staged, count: sources.count * d)
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
