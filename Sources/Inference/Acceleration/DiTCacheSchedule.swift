/// EfficientVLA's static DiT feature-cache schedule (paper §3.4, Eqs. 6–11).
///
/// Steps are counted k = 0 … S−1 in execution order (noisiest first). Step k recomputes every
/// block's attention and MLP branches, and refreshes the cache, iff `k mod N == 0`; every other
/// step re-adds the cached branches. With N = 5 of 10 DDIM steps, k = 0 and 5 compute — the
/// paper's "2 of 10" (a mapped-timestep rule `t mod N` would compute all ten).
public struct DiTCacheSchedule: Sendable, Equatable {
    /// The interval N (1 = every step computes, i.e. no caching).
    public let interval: Int

    /// A schedule with interval `interval` (values below 1 are treated as 1).
    public init(interval: Int) { self.interval = max(interval, 1) }

    /// Whether step `k` (0-based) computes the branches.
    public func computes(step k: Int) -> Bool { k % interval == 0 }

    /// The computing steps among `steps` steps.
    public func computedSteps(of steps: Int) -> [Int] { (0 ..< steps).filter(computes(step:)) }
}

/// The cached branch outputs of every DiT block, `[batch·tokens, hidden]` each (both CFG
/// halves). Lives for one sampling call.
final class DiTBranchCache {
    let schedule: DiTCacheSchedule
    let attention: [Tensor]
    let mlp: [Tensor]

    init(schedule: DiTCacheSchedule, blocks: Int, count: Int) {
        self.schedule = schedule
        attention = (0 ..< blocks).map { _ in Tensor(shape: [count]) }
        mlp = (0 ..< blocks).map { _ in Tensor(shape: [count]) }
    }
}
