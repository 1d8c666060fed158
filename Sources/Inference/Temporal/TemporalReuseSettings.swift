/// Temporal feature reuse across camera frames (VLA-Cache style, arXiv 2502.02175): patches that
/// did not change since their cached keys/values were computed, and that the instruction does not
/// attend to, keep those keys/values in the language model instead of being recomputed.
///
/// The defaults follow VLA-Cache's OpenVLA setting scaled to the patch count (threshold 0.996 on the
/// cosine of raw patch pixels, at most 130 of 256 patches reused, the 120 of 256 most attended always
/// recomputed, the first two layers always computed); docs/temporal-reuse.md gives the reasoning and
/// the measurements behind the node's defaults. Off by default.
public struct TemporalReuseSettings: Sendable, Codable, Equatable {
    /// How two versions of a patch are compared.
    public enum Measure: String, Sendable, Codable, CaseIterable {
        /// Cosine similarity of the raw RGB values (VLA-Cache); static when above `threshold`.
        case cosine
        /// Mean absolute difference in 8-bit levels; static when below `threshold`.
        case meanAbsolute = "mean-absolute"
    }

    /// Whether reuse runs at all.
    public var enabled: Bool
    /// The patch comparison.
    public var measure: Measure
    /// The static threshold of `measure`.
    public var threshold: Double
    /// At most this share of the patches is reused (the most similar first).
    public var maxReusedShare: Double
    /// This share of the patches the relevance layer saw (all before token selection, the kept ones
    /// after it), the ones the text attended to most in the previous inference, is always recomputed.
    public var relevantShare: Double
    /// Position among the layers that run whose text→patch attention scores relevance; nil picks
    /// the middle layer (⌊(n − 1)/2⌋ of n, layer 15 of 32 as in VLA-Cache).
    public var relevanceLayer: Int?
    /// Position among the layers that run from which reused patches are not recomputed; earlier
    /// layers compute every token.
    public var startLayer: Int
    /// A full refresh every this many inferences (1 = every inference, i.e. no reuse).
    public var refreshInterval: Int
    /// When more than this share of the patches changed, the whole frame is recomputed.
    public var maxChangedShare: Double
    /// Whether the reusable patches also keep their vision-tower features: only the other patches
    /// run through the towers (against every token's cached keys/values, block by block) and the
    /// projector. Off by default (docs/temporal-reuse.md §9 has the measurements).
    public var visionTowers: Bool

    /// Settings; the defaults are VLA-Cache's, with reuse off.
    public init(enabled: Bool = false, measure: Measure = .cosine, threshold: Double = 0.996, maxReusedShare: Double = 0.5,
                relevantShare: Double = 0.47, relevanceLayer: Int? = nil, startLayer: Int = 2, refreshInterval: Int = 10,
                maxChangedShare: Double = 0.5, visionTowers: Bool = false) {
        self.enabled = enabled
        self.measure = measure
        self.threshold = threshold
        self.maxReusedShare = maxReusedShare
        self.relevantShare = relevantShare
        self.relevanceLayer = relevanceLayer
        self.startLayer = startLayer
        self.refreshInterval = refreshInterval
        self.maxChangedShare = maxChangedShare
        self.visionTowers = visionTowers
    }

    /// Reuse off.
    public static let off = TemporalReuseSettings()

    /// The default threshold of `measure`: VLA-Cache's 0.996 for the cosine, 2 levels for the mean
    /// absolute difference (about the noise of an 8-bit camera sensor).
    public static func defaultThreshold(_ measure: Measure) -> Double { measure == .cosine ? 0.996 : 2 }

    /// One line for the start-up log.
    public var summary: String {
        guard enabled else { return "temporal reuse off" }
        let test = measure == .cosine ? "cosine > \(threshold)" : "mean |Δ| < \(threshold) levels"
        let relevance = relevanceLayer.map { "layer \($0 + 1) of those that run" } ?? "the middle layer"
        return "temporal reuse on: static when \(test), at most \(Int(maxReusedShare * 100)) % of the patches reused, "
            + "the \(Int(relevantShare * 100)) % most attended (\(relevance)) recomputed, from layer \(startLayer + 1) of those that run, "
            + "full refresh every \(refreshInterval) inferences or when more than \(Int(maxChangedShare * 100)) % changed"
            + (visionTowers ? "; in the vision towers too" : "")
    }

    /// The relevance layer's position among `layersRun` layers.
    public func relevancePosition(layersRun: Int) -> Int {
        min(relevanceLayer ?? (layersRun - 1) / 2, layersRun - 1)
    }

    /// Checks every value; throws `TemporalReuseError.invalidValue` naming the bad one.
    /// `layersRun` is the number of language-model layers that run.
    public func validate(layersRun: Int) throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            guard ok else { throw TemporalReuseError.invalidValue(name: name, value: "\(value)", expected: expected) }
        }
        switch measure {
        case .cosine: try check((0 ... 1).contains(threshold), "threshold", threshold, "0 … 1 for the cosine measure")
        case .meanAbsolute: try check((0 ... 255).contains(threshold), "threshold", threshold, "0 … 255 levels for mean-absolute")
        }
        try check((0 ... 1).contains(maxReusedShare), "max_reused_share", maxReusedShare, "0 … 1")
        try check((0 ... 1).contains(relevantShare), "relevant_share", relevantShare, "0 … 1")
        try check((0 ... 1).contains(maxChangedShare), "max_changed_share", maxChangedShare, "0 … 1")
        try check(refreshInterval >= 1, "refresh_interval", refreshInterval, "≥ 1")
        try check(startLayer >= 0 && startLayer < layersRun, "start_layer", startLayer, "0 ..< \(layersRun) (a position among the layers that run)")
        if let relevanceLayer {
            try check(relevanceLayer >= 0 && relevanceLayer < layersRun, "relevance_layer", relevanceLayer,
                      "0 ..< \(layersRun) (a position among the layers that run)")
        }
    }
}

/// A temporal-reuse setting that cannot work with the model.
public enum TemporalReuseError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of its range.
    case invalidValue(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .invalidValue(name, value, expected): return "temporal reuse: \(name) = \(value) is invalid; expected \(expected)"
        }
    }
}
