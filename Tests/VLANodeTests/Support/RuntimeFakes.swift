import Foundation
@testable import VLANode

/// A policy that returns a chunk derived from the frame bytes, can fail on demand, and advances the
/// manual clock to simulate inference time.
final class FakePolicyRunner: PolicyRunner, @unchecked Sendable {
    struct Malformed: MalformedFrameError, CustomStringConvertible {
        var description: String { "bad image bytes" }
    }
    struct EngineFailure: Error {}

    enum Behaviour {
        case succeed
        case malformed
        case fail
    }

    var behaviour = Behaviour.succeed
    var duration: UInt64 = 0
    var clock: ManualClock?
    var duringInference: (() -> Void)?
    private(set) var calls: [(message: [UInt8], instruction: String)] = []
    /// The continuation of each call.
    private(set) var continuations: [ChunkContinuation?] = []
    /// `resetEpisode` calls, in order among the `calls` (the count of calls made before each reset).
    private(set) var resets: [Int] = []

    func resetEpisode() {
        resets.append(calls.count)
    }

    /// Row k of the chunk is [first byte + k, 0, 0, 0, 0, 0, 1].
    func infer(frame: ObservedFrame, instruction: String, continuation: ChunkContinuation?) throws -> ChunkResult {
        calls.append((frame.message, instruction))
        continuations.append(continuation)
        clock?.advance(by: duration)
        duringInference?()
        switch behaviour {
        case .malformed: throw Malformed()
        case .fail: throw EngineFailure()
        case .succeed:
            let base = Float(frame.message.first ?? 0)
            let actions = (0..<16).map { [base + Float($0), 0, 0, 0, 0, 0, 1] }
            // GFLOP and kept visual tokens follow the frame byte, so a test can see they are the frame's own.
            return ChunkResult(actions: actions, stages: [StageTiming(name: "total", milliseconds: Double(duration) / 1e6)],
                               gflop: Double(base) / 10, visualTokensKept: Int(base))
        }
    }
}

/// Collects what the loops publish; can be told to fail.
final class CollectingSink: ActionSink, InferenceReportSink, @unchecked Sendable {
    struct SinkDown: Error {}
    private let lock = NSLock()
    private var storedActions: [ScheduledActions] = []
    private var storedReports: [InferenceReport] = []
    var failing = false
    var onReport: ((InferenceReport) -> Void)?

    var actions: [ScheduledActions] { lock.lock(); defer { lock.unlock() }; return storedActions }
    var reports: [InferenceReport] { lock.lock(); defer { lock.unlock() }; return storedReports }

    func publish(_ actions: ScheduledActions) throws {
        if failing { throw SinkDown() }
        lock.lock(); storedActions.append(actions); lock.unlock()
    }

    func publish(_ report: InferenceReport) throws {
        if failing { throw SinkDown() }
        lock.lock(); storedReports.append(report); lock.unlock()
        onReport?(report)
    }
}
