/// The node's statistics, shared between threads: the inference thread records latencies, the control
/// thread records tick jitter, any thread counts events, and the control thread formats the summary.
public final class NodeStatistics: @unchecked Sendable {
    /// Event counters.
    public let counters = NodeCounters()

    private struct Windows {
        var inference: LatencyWindow
        var tickJitter: LatencyWindow
        var ingress: LatencyWindow
        var overhead: LatencyWindow
    }

    private let windows: Locked<Windows>
    private let recent = Locked(RecentInference())

    /// Creates statistics whose windows keep the last `windowCapacity` samples, discarding the first
    /// `inferenceWarmUp` inference latencies and the first `jitterWarmUp` tick jitters.
    /// - Throws: `StatsError.invalidWindow` for a capacity below 1 or a negative warm-up.
    public init(windowCapacity: Int, inferenceWarmUp: Int, jitterWarmUp: Int) throws {
        windows = Locked(Windows(
            inference: try LatencyWindow(capacity: windowCapacity, warmUpSamples: inferenceWarmUp),
            tickJitter: try LatencyWindow(capacity: windowCapacity, warmUpSamples: jitterWarmUp),
            ingress: try LatencyWindow(capacity: windowCapacity),
            overhead: try LatencyWindow(capacity: windowCapacity, warmUpSamples: inferenceWarmUp)))
    }

    /// Records how long one inference took (the policy call alone), in milliseconds.
    public func recordInference(milliseconds: Double) {
        windows.withLock { $0.inference.record(milliseconds) }
    }

    /// Records one tick's jitter (`Tick.jitterNanoseconds`); negative values are refused.
    public func recordTickJitter(nanoseconds: Int64) {
        windows.withLock { $0.tickJitter.record(Double(nanoseconds) / 1e6) }
    }

    /// Records how long the ingress thread spent checking one camera message, in milliseconds.
    public func recordIngress(milliseconds: Double) {
        windows.withLock { $0.ingress.record(milliseconds) }
    }

    /// Records the node's share of one end-to-end latency: end-to-end minus inference, in milliseconds
    /// (frame waiting for the inference thread, plus waiting for the next tick to publish).
    public func recordOverhead(milliseconds: Double) {
        windows.withLock { $0.overhead.record(milliseconds) }
    }

    /// Notes a successful inference that ended at `time` (monotonic nanoseconds) after `gflop` of work.
    public func recordCompletion(at time: UInt64, gflop: Double) {
        recent.withLock { $0.completedAt = time; $0.gflop = gflop }
    }

    /// Notes a failed inference (or a malformed frame it found) at `time`, with its message.
    public func recordFailure(_ message: String, at time: UInt64) {
        recent.withLock { $0.lastError = (message, time) }
    }

    /// The median of the inference latencies in the window (ms), nil before the first sample.
    public var inferenceP50Milliseconds: Double? {
        windows.withLock { $0.inference.summary()?.p50 }
    }

    /// The latest inference's time and work, and the latest failure.
    public var recentInference: RecentInference {
        recent.withLock { $0 }
    }

    /// The current summary; `frames` comes from the frame mailbox's counters.
    public func summary(frames: MailboxCounts) -> StatsSummary {
        let windows = windows.withLock { $0 }
        return StatsSummary(inference: windows.inference.summary(), tickJitter: windows.tickJitter.summary(),
                            ingress: windows.ingress.summary(), overhead: windows.overhead.summary(),
                            frames: frames, counters: counters.snapshot())
    }
}

/// What the node service's `ping` reports of the latest inferences.
public struct RecentInference: Sendable {
    /// When the latest successful inference ended (monotonic nanoseconds), nil before the first.
    public var completedAt: UInt64?
    /// The floating-point work that inference ran, in GFLOP.
    public var gflop: Double?
    /// The latest failure: its message and when it happened (monotonic nanoseconds).
    public var lastError: (message: String, time: UInt64)?
}
