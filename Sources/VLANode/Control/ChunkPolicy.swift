/// How the control loop turns predicted chunks into what it publishes each tick.
public enum ChunkPolicy: Equatable, Sendable {
    /// Publish the newest chunk advanced to the tick (actions already in the past dropped).
    case chunking
    /// Publish one action per tick: CogACT's adaptive ensemble over the newest `horizon` chunks
    /// that cover the tick, weighted by `exp(alpha · cos)`.
    case ensemble(alpha: Double, horizon: Int)
}
