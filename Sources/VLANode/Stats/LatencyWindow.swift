/// A rolling window of the most recent samples (milliseconds, by convention) with nearest-rank
/// percentiles, after discarding the first `warmUpSamples` samples.
///
/// **Nearest rank.** For n samples sorted ascending x₁ ≤ … ≤ xₙ and 0 < p ≤ 100, the p-th percentile is
/// x_⌈p·n/100⌉ — always an observed value, never an interpolation (p = 0 gives x₁). With 100 samples
/// 1…100, p50 = 50, p95 = 95, p99 = 99; with 10 samples p95 and p99 are both the maximum.
///
/// **Warm-up eviction.** The first inferences after start-up pay for page faults, cache fills and BLAS
/// thread start (LeRobot #2541, PR #4223). They are dropped so that they never skew the percentiles.
public struct LatencyWindow: Sendable {
    /// The number of most recent samples kept.
    public let capacity: Int
    /// The number of samples discarded at the start (and again after `reset`).
    public let warmUpSamples: Int
    /// Warm-up samples discarded so far.
    public private(set) var discardedWarmUp = 0
    /// Non-finite or negative samples refused so far.
    public private(set) var refused = 0
    private var samples: [Double] = []
    private var nextSlot = 0

    /// Creates an empty window.
    /// - Throws: `StatsError.invalidWindow` for a capacity below 1 or a negative warm-up.
    public init(capacity: Int, warmUpSamples: Int = 0) throws {
        guard capacity >= 1, warmUpSamples >= 0 else {
            throw StatsError.invalidWindow(capacity: capacity, warmUpSamples: warmUpSamples)
        }
        self.capacity = capacity
        self.warmUpSamples = warmUpSamples
        samples.reserveCapacity(min(capacity, 4096))  // a huge configured window grows only as samples arrive
    }

    /// The number of samples in the window.
    public var count: Int { samples.count }

    /// Adds a sample, evicting the oldest beyond the capacity. Warm-up, non-finite and negative samples
    /// are not added (they are counted in `discardedWarmUp` and `refused`).
    public mutating func record(_ sample: Double) {
        guard sample.isFinite, sample >= 0 else {
            refused += 1
            return
        }
        guard discardedWarmUp >= warmUpSamples else {
            discardedWarmUp += 1
            return
        }
        if samples.count < capacity {
            samples.append(sample)
        } else {
            samples[nextSlot] = sample
        }
        nextSlot = (nextSlot + 1) % capacity
    }

    /// The nearest-rank `p`-th percentile (0 ≤ p ≤ 100), or nil for an empty window or p out of range.
    public func percentile(_ p: Double) -> Double? {
        percentile(p, ofSorted: samples.sorted())
    }

    /// Count, p50, p95, p99 and maximum of the window, or nil when it is empty.
    public func summary() -> LatencySummary? {
        let sorted = samples.sorted()
        guard let p50 = percentile(50, ofSorted: sorted), let p95 = percentile(95, ofSorted: sorted),
              let p99 = percentile(99, ofSorted: sorted), let maximum = sorted.last else { return nil }
        return LatencySummary(count: sorted.count, p50: p50, p95: p95, p99: p99, max: maximum)
    }

    /// Empties the window and restarts the warm-up.
    public mutating func reset() {
        samples.removeAll(keepingCapacity: true)
        nextSlot = 0
        discardedWarmUp = 0
    }

    private func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty, p >= 0, p <= 100 else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }
}

/// Percentiles of one window.
public struct LatencySummary: Equatable, Sendable {
    /// Samples in the window.
    public let count: Int
    /// Nearest-rank median.
    public let p50: Double
    /// Nearest-rank 95th percentile.
    public let p95: Double
    /// Nearest-rank 99th percentile.
    public let p99: Double
    /// Largest sample in the window.
    public let max: Double
}

/// Invalid statistics settings.
public enum StatsError: Error, Equatable, CustomStringConvertible {
    /// A window needs a capacity of at least 1 and a non-negative warm-up.
    case invalidWindow(capacity: Int, warmUpSamples: Int)
    /// A periodic summary needs a positive interval.
    case invalidInterval(nanoseconds: UInt64)

    public var description: String {
        switch self {
        case .invalidWindow(let capacity, let warmUp):
            return "stats: a latency window needs capacity ≥ 1 and warm-up ≥ 0, found capacity \(capacity), warm-up \(warmUp)"
        case .invalidInterval(let nanoseconds):
            return "stats: the summary interval must be positive, found \(nanoseconds) ns"
        }
    }
}
