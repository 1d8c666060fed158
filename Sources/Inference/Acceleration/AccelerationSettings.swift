/// EfficientVLA switches (arXiv 2506.10100) carried by `EngineOptions.acceleration`.
///
/// The default value is the dense identity: no layer dropped, every visual token kept, every
/// DiT step computed, full MLP width. `CogACTModel` applies the settings internally, so callers
/// only build the model with them. See docs/efficientvla.md for the reasoning behind each default.
public struct AccelerationSettings: Sendable, Codable, Equatable {
    /// Which embeddings Eq. 4 (diversity) compares.
    public enum DiversityFeatures: String, Sendable, Codable, CaseIterable {
        /// The hidden states leaving the selection layer: the representation the remaining
        /// layers actually consume, already contextualised by the first layers (default).
        case selectionLayerStates = "selection-layer"
        /// The projector outputs (the LLM input embeddings of the patches).
        case projectedPatches = "projector"
    }

    /// Which query rows form the "contextual" set L_ctx of Eq. 2.
    public enum ContextTokens: String, Sendable, Codable, CaseIterable {
        /// Every row after the visual tokens: prompt template, instruction, 29871 and the
        /// cognition token (default).
        case allText = "all-text"
        /// Only the last row (the cognition token), FastV-style.
        case cognitionOnly = "cognition"
    }

    /// LLaMA layers (model indices) that are neither loaded nor run.
    public var droppedLayers: Set<Int>
    /// Visual tokens kept after the selection layer (K_final); nil keeps all of them.
    public var visualTokens: Int?
    /// Position in the executed layer list after which tokens are selected, using that
    /// layer's attention (1 = "the 2nd layer", counting only layers that run).
    public var selectionLayer: Int
    /// Top-relevance tokens always kept (K_key).
    public var keyTokens: Int
    /// Share of the remaining budget filled by relevance (the rest by diversity).
    public var taskRatio: Double
    /// Embeddings compared by the diversity score.
    public var diversityFeatures: DiversityFeatures
    /// Query rows whose attention defines relevance.
    public var contextTokens: ContextTokens
    /// DiT cache interval N: the branches are recomputed on steps k with k mod N == 0; 1 = off.
    public var cacheInterval: Int
    /// Kept share of the LLaMA MLP channels (documentation of the plan; 1 = full width).
    public var mlpKeepRatio: Double
    /// MLP channels to keep per layer, from a calibration plan; layers not listed stay full.
    public var mlpChannels: [MLPChannelPlan]

    /// Settings; the defaults are the dense identity (and the paper's K_key = 4, α = 0.5,
    /// selection after the 2nd layer).
    public init(droppedLayers: Set<Int> = [], visualTokens: Int? = nil, selectionLayer: Int = 1, keyTokens: Int = 4,
                taskRatio: Double = 0.5, diversityFeatures: DiversityFeatures = .selectionLayerStates,
                contextTokens: ContextTokens = .allText, cacheInterval: Int = 1, mlpKeepRatio: Double = 1,
                mlpChannels: [MLPChannelPlan] = []) {
        self.droppedLayers = droppedLayers
        self.visualTokens = visualTokens
        self.selectionLayer = selectionLayer
        self.keyTokens = keyTokens
        self.taskRatio = taskRatio
        self.diversityFeatures = diversityFeatures
        self.contextTokens = contextTokens
        self.cacheInterval = cacheInterval
        self.mlpKeepRatio = mlpKeepRatio
        self.mlpChannels = mlpChannels
    }

    /// The dense identity.
    public static let dense = AccelerationSettings()

    /// The token budget that is actually in force for `patches` visual tokens (nil = off).
    public func activeBudget(patches: Int) -> Int? {
        guard let k = visualTokens, k < patches else { return nil }
        return k
    }

    /// Kept MLP channels of `layer`, nil when the layer keeps its full width.
    public func keptChannels(layer: Int) -> [Int]? { mlpChannels.first { $0.layer == layer }?.keep }

    /// Checks the settings against a model; throws `AccelerationError` naming the bad value.
    public func validate(for config: ModelConfig) throws {
        let layers = config.llm.layers
        if let bad = droppedLayers.first(where: { $0 < 0 || $0 >= layers }) { throw AccelerationError.layerOutOfRange(bad, layers: layers) }
        guard droppedLayers.count < layers else { throw AccelerationError.allLayersDropped(layers) }
        if let k = visualTokens, k < 1 { throw AccelerationError.invalidValue(name: "visual-token budget", value: "\(k)", expected: "≥ 1") }
        guard visualTokens == nil || (selectionLayer >= 0 && selectionLayer < layers - droppedLayers.count - 1) else {
            throw AccelerationError.invalidValue(name: "selection layer", value: "\(selectionLayer)",
                                                 expected: "0 ..< \(layers - droppedLayers.count - 1) (a position among the layers that run, not the last)")
        }
        guard keyTokens >= 1 else { throw AccelerationError.invalidValue(name: "K_key", value: "\(keyTokens)", expected: "≥ 1") }
        guard (0 ... 1).contains(taskRatio) else { throw AccelerationError.invalidValue(name: "α", value: "\(taskRatio)", expected: "0 … 1") }
        guard cacheInterval >= 1 else { throw AccelerationError.invalidValue(name: "cache interval", value: "\(cacheInterval)", expected: "≥ 1") }
        guard mlpKeepRatio > 0, mlpKeepRatio <= 1 else {
            throw AccelerationError.invalidValue(name: "MLP keep ratio", value: "\(mlpKeepRatio)", expected: "in (0, 1]")
        }
        if mlpKeepRatio < 1, mlpChannels.isEmpty { throw AccelerationError.missingChannelPlan(ratio: mlpKeepRatio) }
        var planned = Set<Int>()
        for plan in mlpChannels {
            guard (0 ..< layers).contains(plan.layer) else { throw AccelerationError.layerOutOfRange(plan.layer, layers: layers) }
            guard planned.insert(plan.layer).inserted else { throw AccelerationError.duplicateChannelPlan(layer: plan.layer) }
            let width = config.llm.intermediate
            guard !plan.keep.isEmpty, plan.keep.allSatisfy({ (0 ..< width).contains($0) }), Set(plan.keep).count == plan.keep.count else {
                throw AccelerationError.invalidChannelPlan(layer: plan.layer, width: width)
            }
        }
    }
}

/// The MLP channels one LLaMA layer keeps (ascending indices into the intermediate width).
public struct MLPChannelPlan: Sendable, Codable, Equatable {
    /// Model layer index.
    public var layer: Int
    /// Kept channel indices, ascending.
    public var keep: [Int]

    /// A plan for `layer`; `keep` is sorted.
    public init(layer: Int, keep: [Int]) {
        self.layer = layer
        self.keep = keep.sorted()
    }

    private enum CodingKeys: String, CodingKey { case layer, keep }

    /// Decodes a plan entry, sorting `keep` like `init(layer:keep:)` (a hand-edited plan may list it in any order).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(layer: try container.decode(Int.self, forKey: .layer), keep: try container.decode([Int].self, forKey: .keep))
    }
}
