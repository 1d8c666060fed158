/// Analytic floating-point operation counts (2 per multiply-add) of the GEMMs and attention
/// products the engine actually runs for one forward; element-wise work is ignored.
///
/// EfficientVLA settings are accounted for: dropped layers cost nothing, layers after the
/// selection layer see `1 + K + text` rows, pruned MLPs their kept width, and cached DiT steps
/// only the embedders and the final layer.
public struct FLOPCount: Sendable, Equatable {
    /// Both ViT towers.
    public var vision: Double
    /// The fused MLP projector.
    public var projector: Double
    /// The LLaMA prefill (last layer: last row only).
    public var llm: Double
    /// All DDIM steps of the DiT, including the CFG batch.
    public var action: Double
    /// Sum of the stages.
    public var total: Double { vision + projector + llm + action }

    /// Counts for `config` with a prompt of `tokenCount` ids (BOS included) under `acceleration`.
    public init(config: ModelConfig, tokenCount: Int, ddimSteps: Int? = nil, cfgScale: Float? = nil,
                acceleration: AccelerationSettings = .dense) {
        vision = Self.vision(config: config.vision, recomputedPatches: config.vision.patchCount)
        projector = Self.projector(config: config, rows: config.vision.patchCount)
        llm = Self.language(config: config, tokenCount: tokenCount, acceleration: acceleration)
        let d = Double(config.llm.hidden)

        let a = config.action, h = Double(a.hidden), tokens = Double(a.horizon + 1)
        let batch: Double = (cfgScale ?? a.cfgScale) > 1 ? 2 : 1, rows = batch * tokens
        let block = 2 * rows * h * (3 * h + h + 8 * h) + batch * 4 * tokens * tokens * h
        // Per step: x-embedder on the horizon once (shared by the CFG batch), the final layer on
        // every batch row's action tokens, the timestep MLP.
        let horizon = Double(a.horizon)
        let embed = 2 * horizon * Double(a.actionDim) * h * (1 + batch) + 2 * h * (Double(TimestepEmbedding.frequencyDimension) + h)
        let steps = ddimSteps ?? a.ddimSteps
        let computed = Double(DiTCacheSchedule(interval: acceleration.cacheInterval).computedSteps(of: steps).count)
        action = computed * Double(a.depth) * block + Double(steps) * embed + 2 * batch * d * h
    }

    /// Both towers when the prefix and `recomputedPatches` of the patches run through the blocks
    /// (all of them, or fewer under temporal reuse) against the keys of every token; the patch
    /// embedding always covers every patch.
    public static func vision(config: VisionConfig, recomputedPatches: Int) -> Double {
        let patches = Double(config.patchCount), patchPixels = Double(3 * config.patchSize * config.patchSize)
        func tower(_ c: ViTConfig) -> Double {
            let t = patches + Double(c.prefixTokens), q = Double(recomputedPatches + c.prefixTokens)
            let w = Double(c.width), m = Double(c.mlpDim)
            let block = 2 * q * w * (3 * w + w + 2 * m) + 4 * q * t * w
            return 2 * patches * patchPixels * w + Double(c.featureLayer + 1) * block
        }
        return tower(config.dino) + tower(config.siglip)
    }

    /// The projector over `rows` patches.
    public static func projector(config: ModelConfig, rows: Int) -> Double {
        let f = Double(config.vision.dino.width + config.vision.siglip.width), d = Double(config.llm.hidden)
        return 2 * Double(rows) * (f * 4 * f + 4 * f * d + d * d)
    }

    /// The LLaMA prefill: each layer that runs, over the rows it sees, at its MLP width.
    static func language(config: ModelConfig, tokenCount: Int, acceleration: AccelerationSettings) -> Double {
        let llm = config.llm
        let schedule = (0 ..< llm.layers).filter { !acceleration.droppedLayers.contains($0) }
        let patches = config.vision.patchCount, full = patches + tokenCount
        let shortened = acceleration.activeBudget(patches: patches).map { 1 + $0 + tokenCount - 1 } ?? full
        let work = schedule.enumerated().map { position, layer in
            let rows = position <= acceleration.selectionLayer ? full : shortened
            let width = acceleration.keptChannels(layer: layer)?.count ?? llm.intermediate
            return LLMLayerWork(recomputedRows: rows, queryRows: position < schedule.count - 1 ? rows : 1, keyRows: rows, mlpWidth: width)
        }
        return language(work: work, config: llm)
    }

    /// The LLaMA prefill over the rows each layer computed: keys/values for the recomputed rows,
    /// queries, attention over the key rows, output projection and MLP for the query rows.
    public static func language(work: [LLMLayerWork], config llm: LlamaConfig) -> Double {
        let d = Double(llm.hidden), kv = Double(llm.kvHeads * llm.headDim)
        return work.reduce(0) { total, layer in
            let a = Double(layer.recomputedRows), q = Double(layer.queryRows), l = Double(layer.keyRows), i = Double(layer.mlpWidth)
            return total + 2 * a * d * 2 * kv + 2 * q * d * d + 4 * q * l * d + 2 * q * d * d + 6 * q * d * i
        }
    }
}

extension FLOPCount {
    /// A plain-text table of the stages against `dense`: GFLOP of each, and this count as a
    /// percentage of the dense one.
    public func report(dense: FLOPCount) -> String {
        let stages: [(String, KeyPath<FLOPCount, Double>)] = [("vision", \.vision), ("projector", \.projector), ("llm", \.llm),
                                                             ("action", \.action), ("total", \.total)]
        var lines = ["stage        GFLOP   dense GFLOP   % of dense"]
        for (name, path) in stages {
            let mine = self[keyPath: path], reference = dense[keyPath: path]
            lines.append(name.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + String(format: " %8.3f %13.3f %12.1f", mine / 1e9, reference / 1e9, reference > 0 ? 100 * mine / reference : 0))
        }
        return lines.joined(separator: "\n")
    }
}
