/// The node's statistics, shared between threads: the inference thread records latencies, the control
/// thread records tick jitter, any thread counts events, and the control thread formats the summary.
public final class NodeStatistics: @unchecked Sendable {
    /// Event counters.
    public let counters = NodeCounters()

    private struct Windows {
        var inference: LatencyWindow
        var tickJitter: LatencyWindow
    }

    private let windows: Locked<Windows>

    /// Creates statistics whose windows keep the last `windowCapacity` samples, discarding the first
    /// `inferenceWarmUp` inference latencies and the first `jitterWarmUp` tick jitters.
    /// - Throws: `StatsError.invalidWindow` for a capacity below 1 or a negative warm-up.
    public init(windowCapacity: Int, inferenceWarmUp: Int, jitterWarmUp: Int) throws {
        windows = Locked(Windows(
            inference: try LatencyWindow(capacity: windowCapacity, warmUpSamples: inferenceWarmUp),
            tickJitter: try LatencyWindow(capacity: windowCapacity, warmUpSamples: jitterWarmUp)))
    }

    /// Records one end-to-end inference latency in milliseconds.
    public func recordInference(milliseconds: Double) {
        windows.withLock { $0.inference.record(milliseconds) }
    }

    /// Records one tick's jitter (`Tick.jitterNanoseconds`); negative values are refused.
    public func recordTickJitter(nanoseconds: Int64) {
        windows.withLock { $0.tickJitter.record(Double(nanoseconds) / 1e6) }
    }

    /// The current summary; `frames` comes from the frame mailbox's counters.
    public func summary(frames: MailboxCounts) -> StatsSummary {
        let (inference, jitter) = windows.withLock { ($0.inference.summary(), $0.tickJitter.summary()) }
        return StatsSummary(inference: inference, tickJitter: jitter, frames: frames, counters: counters.snapshot())
    }
}
