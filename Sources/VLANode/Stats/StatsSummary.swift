import Foundation

/// Everything the periodic statistics log line reports.
public struct StatsSummary: Equatable, Sendable {
    /// End-to-end inference latency (ms) over the window, nil before the first post-warm-up sample.
    public var inference: LatencySummary?
    /// Control tick jitter, actual − scheduled (ms).
    public var tickJitter: LatencySummary?
    /// Ingress time per camera message: topic match, CDR decode and checks (ms).
    public var ingress: LatencySummary?
    /// End-to-end minus inference per inference (ms): the node's share of the latency.
    public var overhead: LatencySummary?
    /// Frame mailbox counters: received and skipped (replaced before inference took them).
    public var frames: MailboxCounts
    /// Event counters.
    public var counters: CounterSnapshot

    /// Creates a summary.
    public init(inference: LatencySummary?, tickJitter: LatencySummary?, ingress: LatencySummary? = nil,
                overhead: LatencySummary? = nil, frames: MailboxCounts, counters: CounterSnapshot) {
        self.inference = inference
        self.tickJitter = tickJitter
        self.ingress = ingress
        self.overhead = overhead
        self.frames = frames
        self.counters = counters
    }

    /// One log line, e.g.
    /// `infer_ms n=12 p50=812.40 p95=950.10 p99=990.00 max=990.00 | jitter_ms n=0 | ingress_ms n=0 |
    /// overhead_ms n=0 | frames rx=120 skipped=108 |
    /// inferences=12 failed=0 rejected=0 | ticks=300 published=250 misses=50 overruns=0 |
    /// instructions ok=1 rejected=0 resets=0 | malformed /camera/image_raw=2 | connections lost=0 reconnected=0 |
    /// recorder_drops=0`. Topics are sorted by name.
    public var line: String {
        let malformed = counters.malformedByTopic.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return [
            Self.describe("infer_ms", inference),
            Self.describe("jitter_ms", tickJitter),
            Self.describe("ingress_ms", ingress),
            Self.describe("overhead_ms", overhead),
            "frames rx=\(frames.received) skipped=\(frames.skipped)",
            "inferences=\(counters[.inferences]) failed=\(counters[.inferenceFailures]) rejected=\(counters[.chunksRejected])",
            "ticks=\(counters[.ticks]) published=\(counters[.published]) misses=\(counters[.deadlineMisses]) overruns=\(counters[.skippedTicks])",
            "instructions ok=\(counters[.instructionsAccepted]) rejected=\(counters[.instructionsRejected]) resets=\(counters[.episodeResets])",
            "malformed " + (malformed.isEmpty ? "none" : malformed),
            "connections lost=\(counters[.disconnects]) reconnected=\(counters[.reconnects])",
            "recorder_drops=\(counters[.recorderDrops])",
        ].joined(separator: " | ")
    }

    private static func describe(_ name: String, _ summary: LatencySummary?) -> String {
        guard let summary else { return "\(name) n=0" }
        let values = [("p50", summary.p50), ("p95", summary.p95), ("p99", summary.p99), ("max", summary.max)]
            .map { "\($0.0)=\(String(format: "%.2f", $0.1))" }.joined(separator: " ")
        return "\(name) n=\(summary.count) \(values)"
    }
}

/// Says when the next periodic summary is due, on the monotonic clock.
public struct PeriodicTrigger: Sendable {
    /// The interval between summaries in nanoseconds.
    public let intervalNanoseconds: UInt64
    private var nextDue: UInt64

    /// Creates a trigger whose first summary is due one interval after `start`.
    /// - Throws: `StatsError.invalidInterval` for a zero interval.
    public init(intervalNanoseconds: UInt64, start: UInt64) throws {
        guard intervalNanoseconds > 0 else { throw StatsError.invalidInterval(nanoseconds: intervalNanoseconds) }
        self.intervalNanoseconds = intervalNanoseconds
        nextDue = Self.saturatingAdd(start, intervalNanoseconds)
    }

    /// True once per interval: at the first call at or after each due time (missed intervals collapse).
    /// Due times beyond the 64-bit range saturate (an interval of `UInt64.max` never fires again).
    public mutating func isDue(at now: UInt64) -> Bool {
        guard now >= nextDue else { return false }
        let missed = (now - nextDue) / intervalNanoseconds + 1
        let (step, overflow) = missed.multipliedReportingOverflow(by: intervalNanoseconds)
        nextDue = overflow ? .max : Self.saturatingAdd(nextDue, step)
        return true
    }

    private static func saturatingAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
