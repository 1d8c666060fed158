/// Holds inference reports on the control thread's side until the tick that may send them, so a
/// latency message never precedes the chunk it describes.
///
/// **Rule.** The control thread calls `tickDeciding()` right before it asks the scheduler for the
/// tick's outcome; only reports queued before that call are considered at the tick's end (a report
/// queued during the decision may belong to a chunk the decision did not see). Of those, at the end of
/// the tick (`release(after:)`):
/// - a report of an **accepted** inference n goes out when the tick published a chunk of inference n
///   or a later one; or when the tick published nothing although it saw chunk n or a later one
///   (the newest chunk had run out before any tick, or a new instruction had cleared it): then no tick
///   will ever carry chunk n. It waits while the newest chunk only starts after the tick, or while an
///   ensemble publishes from an older chunk;
/// - a report of a **refused or failed** inference goes out at the end of the next tick.
/// Reports leave in inference order: one that waits holds back the later ones. `releaseAll()` empties
/// the queue (at shutdown, after the last tick).
struct LatencyReportQueue {
    private var reports: [InferenceReport] = []
    private var decided = 0  // reports[..<decided] were queued before the current tick's decision

    /// Reports waiting.
    var count: Int { reports.count }

    /// Queues a report (inference thread, under the publisher's lock).
    mutating func append(_ report: InferenceReport) {
        reports.append(report)
    }

    /// Marks the reports queued so far as known to the tick about to be decided.
    mutating func tickDeciding() {
        decided = reports.count
    }

    /// The reports that may go out at the end of a tick whose outcome was `outcome`, in order; they
    /// leave the queue.
    mutating func release(after outcome: TickOutcome) -> [InferenceReport] {
        var released = 0
        while released < decided, Self.mayLeave(reports[released], after: outcome) { released += 1 }
        defer {
            reports.removeFirst(released)
            decided = 0
        }
        return Array(reports.prefix(released))
    }

    /// Every queued report, in order; the queue is empty afterwards.
    mutating func releaseAll() -> [InferenceReport] {
        defer {
            reports.removeAll()
            decided = 0
        }
        return reports
    }

    private static func mayLeave(_ report: InferenceReport, after outcome: TickOutcome) -> Bool {
        guard report.outcome == .accepted else { return true }
        switch outcome {
        case .publish(let scheduled): return scheduled.inferenceSequence >= report.sequence
        case .deadlineMiss(.chunkNotYetValid): return false
        case .deadlineMiss(.noChunk), .deadlineMiss(.chunkExhausted): return true
        }
    }
}
