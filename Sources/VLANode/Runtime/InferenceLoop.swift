import Foundation
import Logging

/// The inference thread: always runs the policy on the newest frame.
///
/// Each step takes the newest untaken frame from the frame mailbox (waiting for one), reads the current
/// instruction, runs the `PolicyRunner`, stamps the chunk with the frame's receive time and hands it to
/// the `ActionScheduler`, records the latency, and publishes an `InferenceReport`. Frames arriving while
/// it infers replace each other in the mailbox (counted as skipped). Without an instruction the frame is
/// dropped and nothing runs. After an episode reset (`EpisodeReset`) frames observed before it are
/// dropped, and the policy's temporal caches are cleared (`PolicyRunner.resetEpisode`) before the next
/// inference. Errors are counted and logged, never fatal.
///
/// Runtime wiring: the ingress thread `put`s `ObservedFrame`s into `frames` and passes instruction texts
/// to an `InstructionIngress` sharing `instructions` and `scheduler`; call `start()` once, and at
/// shutdown `stop()` then `frames.close()` to wake the thread.
public final class InferenceLoop: @unchecked Sendable {
    /// What one step did.
    public enum Step: Equatable, Sendable {
        /// No frame arrived within the timeout (or the mailbox is closed).
        case idle
        /// A frame arrived but there is no instruction yet; it was dropped.
        case waitingForInstruction
        /// The frame was observed before the latest episode reset; it was dropped.
        case frameBeforeReset
        /// The policy ran (successfully or not); the report says how it went.
        case inferred(InferenceReport)
    }

    private let runner: PolicyRunner
    private let frames: LatestValueMailbox<ObservedFrame>
    private let instructions: LatestValueMailbox<String>
    private let scheduler: ActionScheduler
    private let statistics: NodeStatistics
    private let clock: any MonotonicClock
    private let reports: InferenceReportSink
    private let cameraTopic: String
    private let logger: Logger
    private let thread = LoopThread()
    private var attempts: UInt64 = 0  // touched only by the thread running `step`
    private var policyEpisode: UInt64 = 0  // the episode the runner's caches belong to; same thread

    /// Creates the loop; `cameraTopic` names the topic malformed frames are counted against.
    public init(runner: PolicyRunner, frames: LatestValueMailbox<ObservedFrame>, instructions: LatestValueMailbox<String>,
                scheduler: ActionScheduler, statistics: NodeStatistics, clock: any MonotonicClock,
                reports: InferenceReportSink, cameraTopic: String, logger: Logger = Logger(label: "vla-node.inference")) {
        self.runner = runner
        self.frames = frames
        self.instructions = instructions
        self.scheduler = scheduler
        self.statistics = statistics
        self.clock = clock
        self.reports = reports
        self.cameraTopic = cameraTopic
        self.logger = logger
    }

    /// Runs one inference on the newest frame, waiting up to `timeout` seconds for one.
    @discardableResult
    public func step(waitingUpTo timeout: TimeInterval) -> Step {
        guard let frame = frames.take(waitingUpTo: timeout) else { return .idle }
        let episode = scheduler.episode
        guard frame.value.receivedAt >= episode.startTime else {
            statistics.counters.increment(.framesBeforeReset)
            logger.debug("frame \(frame.sequence) dropped: observed before the reset to episode #\(episode.number)")
            return .frameBeforeReset
        }
        guard let instruction = instructions.latest() else {
            logger.debug("frame \(frame.sequence) dropped: waiting for an instruction")
            return .waitingForInstruction
        }
        if episode.number != policyEpisode {
            runner.resetEpisode()
            policyEpisode = episode.number
        }
        attempts += 1
        let start = clock.now()
        let continuation = continuation(for: frame.value, startingAt: start)
        let result = Result { try runner.infer(frame: frame.value, instruction: instruction.value, continuation: continuation) }
        let end = clock.now()
        let outcome = settle(result, frame: frame.value, instructionSequence: instruction.sequence, episode: episode.number)
        let chunk = try? result.get()
        switch result {
        case .success(let chunk):
            statistics.recordInference(milliseconds: Double(end &- start) / 1e6)
            statistics.recordCompletion(at: end, gflop: chunk.gflop)
        case .failure(let error):
            statistics.recordFailure(String(describing: error), at: end)
        }
        let report = InferenceReport(
            sequence: attempts, frameSequence: frame.sequence, instructionSequence: instruction.sequence,
            observationTime: frame.value.receivedAt, startTime: start, endTime: end,
            stages: chunk?.stages ?? [], chunkLength: chunk?.actions.count ?? 0, outcome: outcome,
            frameStamp: frame.value.stamp, gflop: chunk?.gflop ?? 0, visualTokensKept: chunk?.visualTokensKept,
            tokenReuse: chunk?.tokenReuse)
        if let chunk { logDebug(report, chunk: chunk) }
        do {
            try reports.publish(report)
        } catch {
            statistics.counters.increment(.publishFailures)
            logger.warning("inference report not published: \(error)")
        }
        return .inferred(report)
    }

    /// Real-time chunking's frozen rows for an inference of `frame` starting at `start` (nil under the
    /// other chunk policies).
    private func continuation(for frame: ObservedFrame, startingAt start: UInt64) -> ChunkContinuation? {
        guard scheduler.policy == .realTimeChunking else { return nil }
        let period = scheduler.periodNanoseconds
        let expected = statistics.inferenceP50Milliseconds.map { UInt64(max(0, $0) * 1e6) } ?? 0
        let busy = (start &- min(start, frame.receivedAt)) &+ expected
        return ChunkContinuation(frozenRows: Int(clamping: (busy + period - 1) / period), periodNanoseconds: period)
    }

    /// One debug line per inference: its time, its real work and what temporal reuse did.
    private func logDebug(_ report: InferenceReport, chunk: ChunkResult) {
        let reuse = chunk.tokenReuse.map { reuse in
            "; visual tokens reused \(reuse.reused), recomputed \(reuse.recomputed)" + (reuse.refreshReason.map { " (full refresh: \($0))" } ?? "")
        } ?? ""
        logger.debug("inference \(report.sequence): \(String(format: "%.1f", report.inferenceMilliseconds)) ms, \(String(format: "%.3f", chunk.gflop)) GFLOP\(reuse)")
    }

    /// Starts the dedicated inference thread (once).
    public func start() {
        thread.start(name: "vla-inference") { [self] in step(waitingUpTo: 0.1) }
    }

    /// Asks the thread to stop after the current inference; waits up to `timeout` seconds for it.
    /// Returns true if it stopped in time.
    @discardableResult
    public func stop(timeout: TimeInterval) -> Bool {
        thread.requestStop()
        return thread.waitUntilFinished(timeout: timeout)
    }

    private func settle(_ result: Result<ChunkResult, Error>, frame: ObservedFrame, instructionSequence: UInt64,
                        episode: UInt64) -> InferenceOutcome {
        switch result {
        case .failure(let error as MalformedFrameError):
            statistics.counters.recordMalformed(topic: cameraTopic)
            logger.warning("malformed frame on \(cameraTopic): \(error)")
            return .malformedFrame(String(describing: error))
        case .failure(let error):
            statistics.counters.increment(.inferenceFailures)
            logger.error("inference failed: \(error)")
            return .failed(String(describing: error))
        case .success(let chunk):
            statistics.counters.increment(.inferences)
            do {
                try scheduler.submit(StampedChunk(observationTime: frame.receivedAt, actions: chunk.actions,
                                                  instructionSequence: instructionSequence,
                                                  inferenceSequence: attempts, observationStamp: frame.stamp,
                                                  episode: episode))
                return .accepted
            } catch {
                statistics.counters.increment(.chunksRejected)
                let rejection = error as? ChunkRejection
                logger.notice("\(error)")
                return rejection.map(InferenceOutcome.rejected) ?? .failed(String(describing: error))
            }
        }
    }
}
