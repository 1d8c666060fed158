/// How the control loop turns predicted chunks into what it publishes each tick.
public enum ChunkPolicy: Equatable, Sendable {
    /// Publish the newest chunk advanced to the tick (actions already in the past dropped).
    case chunking
    /// Publish one action per tick: CogACT's adaptive ensemble over the newest `horizon` chunks
    /// that cover the tick, weighted by `exp(alpha · cos)`.
    case ensemble(alpha: Double, horizon: Int)
    /// Publish a plan kept step by step: each new chunk is merged into the previous plan on the steps
    /// both cover (`AggregationRule`), like LeRobot's async-inference aggregation; the rest of the new
    /// chunk is taken as it is.
    case aggregate(AggregationRule)
    /// Real-time chunking (Black et al. 2025, arXiv 2506.07339, training-free on DDIM): publish the
    /// newest chunk as `chunking` does, but sample it as a continuation of the chunk being executed:
    /// the rows that run while it is computed (the measured p50 inference time) are frozen to the
    /// previous chunk's values and the rows after them blend softly into the model's own.
    case realTimeChunking
}

/// How an overlapping step of the plan and a new chunk are combined: `old · (1 − w) + new · w`.
public enum AggregationRule: Equatable, Sendable {
    /// A configurable weight w of the new chunk (LeRobot's `weighted_average` is w = 0.7).
    case weightedAverage(newWeight: Double)
    /// The new chunk replaces the plan (w = 1).
    case latestOnly
    /// The mean of the two (w = 0.5).
    case average

    /// The launch-file names, in `node.control.aggregate.function`.
    public static let names = ["weighted_average", "latest_only", "average"]

    /// The weight w of the new chunk.
    public var newWeight: Double {
        switch self {
        case .weightedAverage(let weight): return weight
        case .latestOnly: return 1
        case .average: return 0.5
        }
    }

    /// The launch-file name of the rule.
    public var name: String {
        switch self {
        case .weightedAverage: return "weighted_average"
        case .latestOnly: return "latest_only"
        case .average: return "average"
        }
    }
}
