/// CogACT post-processing: clip to [−1, 1], threshold the gripper (last dimension) at 0.5,
/// then `0.5·(a + 1)·(q99 − q01) + q01` on the masked dimensions.
public struct Unnormalizer: Sendable {
    /// q01/q99/mask of the chosen dataset.
    public let statistics: ActionStatistics

    /// An un-normaliser for one dataset's statistics.
    public init(statistics: ActionStatistics) { self.statistics = statistics }

    /// Returns (normalised, un-normalised) actions, both `[rows·dim]` like `sample`.
    public func apply(_ sample: [Float]) -> (normalized: [Float], actions: [Float]) {
        let dim = statistics.q01.count, mask = statistics.effectiveMask
        var normalized = sample.map { min(max($0, -1), 1) }
        var actions = normalized
        for i in normalized.indices {
            let j = i % dim
            if j == dim - 1 { normalized[i] = normalized[i] < 0.5 ? 0 : 1 }
            actions[i] = mask[j] ? 0.5 * (normalized[i] + 1) * (statistics.q99[j] - statistics.q01[j]) + statistics.q01[j] : normalized[i]
        }
        return (normalized, actions)
    }
}
