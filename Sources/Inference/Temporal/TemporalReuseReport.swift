/// What temporal reuse did in one inference.
public struct TemporalReuseReport: Sendable, Equatable {
    /// Visual tokens that kept the previous inference's keys/values.
    public let reused: Int
    /// Visual tokens computed from this frame.
    public let recomputed: Int
    /// Patches that passed the static test (before the cap and the relevance filter).
    public let staticPatches: Int
    /// Set when every token was recomputed, with the reason.
    public let refresh: FullRefreshReason?
    /// Patches that kept their vision-tower features and projected rows (0 unless reuse runs in the
    /// towers).
    public let reusedInTowers: Int

    /// A report.
    public init(reused: Int, recomputed: Int, staticPatches: Int, refresh: FullRefreshReason?, reusedInTowers: Int = 0) {
        self.reused = reused
        self.recomputed = recomputed
        self.staticPatches = staticPatches
        self.refresh = refresh
        self.reusedInTowers = reusedInTowers
    }

    /// Whether every visual token was recomputed.
    public var fullRefresh: Bool { refresh != nil }
}
