/// What temporal reuse did with the visual tokens in one inference, for the latency topic and the log.
public struct VisualTokenReuse: Equatable, Sendable {
    /// Visual tokens that kept the previous inference's keys/values.
    public let reused: Int
    /// Visual tokens computed from this frame.
    public let recomputed: Int
    /// Why every token was recomputed (e.g. "first-frame", "periodic"); nil when some were reused
    /// or could have been.
    public let refreshReason: String?

    /// A record.
    public init(reused: Int, recomputed: Int, refreshReason: String?) {
        self.reused = reused
        self.recomputed = recomputed
        self.refreshReason = refreshReason
    }

    /// Whether every visual token was recomputed.
    public var fullRefresh: Bool { refreshReason != nil }
}
