import Foundation
import Logging
import Messages
import ZMQ

/// The node's outputs, driven by the control thread: it owns the PUB socket(s), publishes one
/// `vla_msgs/ActionChunk` per published tick and one `vla_msgs/InferenceLatency` per inference.
///
/// The inference thread hands its reports over through `publish(_ report:)`, which only queues them;
/// the control thread sends them at the end of a tick (`tickEnded`) by the rule of `LatencyReportQueue`:
/// an accepted inference's report after the first tick that published its chunk or a later one, so
/// `end_to_end_ms` runs from the frame's observation to the publish of the first chunk carrying the
/// inference's actions (or a newer inference's, when it was superseded before any tick; or to the tick
/// that found the chunk already run out). Reports of refused or failed inferences go at the next tick end.
/// Topics sharing an endpoint share one socket. Sends never block (PUB drops for slow subscribers).
public final class OutputPublisher: ActionSink, InferenceReportSink, @unchecked Sendable {
    /// What the latency messages need besides the report.
    public struct Environment {
        /// Maps monotonic times to message stamps.
        public let anchor: WallClockAnchor
        /// The monotonic clock of the node.
        public let clock: any MonotonicClock
        /// The control period in seconds.
        public let controlPeriodSeconds: Double
        /// Node statistics (counters for drops and misses; the overhead window).
        public let statistics: NodeStatistics
        /// The frame mailbox (received and skipped frames).
        public let frames: LatestValueMailbox<ObservedFrame>
        /// Acceleration settings in effect (the visual tokens kept are overridden by each report's own).
        public let acceleration: AccelerationReport
        /// How the observation time is chosen for the end-to-end latency.
        public let observationClock: ObservationClock

        /// Creates the context.
        public init(anchor: WallClockAnchor, clock: any MonotonicClock, controlPeriodSeconds: Double, statistics: NodeStatistics,
                    frames: LatestValueMailbox<ObservedFrame>, acceleration: AccelerationReport,
                    observationClock: ObservationClock = ObservationClock()) {
            self.anchor = anchor
            self.clock = clock
            self.controlPeriodSeconds = controlPeriodSeconds
            self.statistics = statistics
            self.frames = frames
            self.acceleration = acceleration
            self.observationClock = observationClock
        }
    }

    private let chunkTopic: String
    private let latencyTopic: String
    private let sockets: [String: Socket]  // topic → socket; sockets are shared per endpoint
    private let context: Environment
    private let recorder: NodeRecorder?
    private let logger: Logger
    private let pendingReports = Locked(LatencyReportQueue())
    private var chunkSequence: UInt64 = 0  // control thread only
    private var latencySequence: UInt64 = 0  // control thread only
    private var warnedAboutStamps = false  // control thread only

    /// Creates the publisher over already bound/connected PUB sockets, keyed by topic.
    public init(topics: TopicSettings, sockets: [String: Socket], context: Environment, recorder: NodeRecorder?,
                logger: Logger = Logger(label: "vla-node.output")) {
        chunkTopic = topics.actionChunk.topic
        latencyTopic = topics.latency.topic
        self.sockets = sockets
        self.context = context
        self.recorder = recorder
        self.logger = logger
    }

    /// Sends one tick's actions as an ActionChunk stamped with the tick time.
    public func publish(_ scheduled: ScheduledActions) throws {
        chunkSequence += 1
        let width = scheduled.actions.first?.count ?? 0
        let anchor = context.anchor
        let message = ActionChunk(
            header: Header(stamp: anchor.rosTime(atMonotonic: scheduled.tickTime)),
            observationStamp: Time(nanoseconds: scheduled.observationStamp
                                   ?? anchor.wallNanoseconds(atMonotonic: scheduled.observationTime)),
            inferenceSequence: scheduled.inferenceSequence, publishSequence: chunkSequence,
            controlPeriod: context.controlPeriodSeconds, horizon: UInt32(scheduled.actions.count),
            actionDimension: UInt32(width), actions: scheduled.actions.flatMap { $0 },
            currentIndex: UInt32(scheduled.currentIndex),
            dimensionNames: ActionColumns.columns(width: width).map(\.name),
            contributingChunks: UInt32(clamping: scheduled.contributingChunks))
        try send(WireFormat.frames(topic: chunkTopic, message: message), topic: chunkTopic)
    }

    /// Queues an inference report; it goes out at the end of a later tick (see the type's rule).
    public func publish(_ report: InferenceReport) throws {
        pendingReports.withLock { $0.append(report) }
    }

    /// Notes which reports were queued before the tick's outcome is decided.
    public func tickDeciding(_ tick: Tick) {
        pendingReports.withLock { $0.tickDeciding() }
    }

    /// Sends the latency messages the tick's outcome releases (after the tick's chunk).
    public func tickEnded(_ tick: Tick, outcome: TickOutcome) {
        send(pendingReports.withLock { $0.release(after: outcome) })
    }

    /// Sends the latency messages still queued (at shutdown, after the last tick).
    public func flushReports() {
        send(pendingReports.withLock { $0.releaseAll() })
    }

    private func send(_ reports: [InferenceReport]) {
        for report in reports {
            do {
                try send(WireFormat.frames(topic: latencyTopic, message: latencyMessage(for: report)), topic: latencyTopic)
            } catch {
                context.statistics.counters.increment(.publishFailures)
                logger.warning("latency report \(report.sequence) not published: \(error)")
            }
        }
    }

    /// Closes every socket; call from the control thread, or after it has stopped.
    public func close() {
        for socket in sockets.values { socket.close() }
    }

    private func send(_ frames: [[UInt8]], topic: String) throws {
        guard let socket = sockets[topic] else { return }
        try socket.send(frames, mode: .dontWait)
        recorder?.record(frames)
    }

    /// The `InferenceLatency` of one report, measured now (control thread only: it advances the sequence).
    func latencyMessage(for report: InferenceReport) -> InferenceLatency {
        let anchor = context.anchor
        let now = anchor.wallNanoseconds(atMonotonic: context.clock.now())
        let receivedWall = anchor.wallNanoseconds(atMonotonic: report.observationTime)
        let observation = context.observationClock.observationTime(stamp: report.frameStamp, receivedWall: receivedWall)
        if !observation.fromStamp, report.frameStamp != nil, !warnedAboutStamps {
            warnedAboutStamps = true
            logger.notice("camera header stamps are far from the receive time (a replayed bag?): end-to-end latency is measured from the receive time")
        }
        let stage = { (name: String) in report.stages.first { $0.name == name }?.milliseconds ?? 0 }
        let counters = context.statistics.counters.snapshot()
        let frames = context.frames.counts
        let drops = counters.malformedByTopic.values.reduce(0, +) + counters[.unknownTopics] + counters[.instructionsRejected]
        let acceleration = context.acceleration
        latencySequence += 1
        let endToEnd = Double(now - observation.nanoseconds) / 1e6
        if report.outcome == .accepted { context.statistics.recordOverhead(milliseconds: endToEnd - report.inferenceMilliseconds) }
        return InferenceLatency(
            header: Header(stamp: Time(nanoseconds: now)), sequence: latencySequence, inferenceSequence: report.sequence,
            observationStamp: Time(nanoseconds: report.frameStamp ?? receivedWall),
            decodeMs: stage(StageTiming.decode), visionMs: stage(StageTiming.vision), projectorMs: stage(StageTiming.projector),
            llmMs: stage(StageTiming.llm), actionHeadMs: stage(StageTiming.actionHead), postMs: stage(StageTiming.post), inferenceMs: report.inferenceMilliseconds,
            endToEndMs: endToEnd,
            frameAgeMs: Double(anchor.wallNanoseconds(atMonotonic: report.startTime) - observation.nanoseconds) / 1e6,
            framesReceived: frames.received, framesSkipped: frames.skipped, queueDrops: drops,
            recorderDrops: counters[.recorderDrops],
            deadlineMisses: counters[.deadlineMisses], gflops: report.gflop,
            llmLayersKept: UInt32(clamping: acceleration.llmLayersKept), llmLayersTotal: UInt32(clamping: acceleration.llmLayersTotal),
            visualTokensKept: UInt32(clamping: report.visualTokensKept ?? acceleration.visualTokensKept),
            visualTokensTotal: UInt32(clamping: acceleration.visualTokensTotal),
            cacheInterval: UInt32(clamping: acceleration.cacheInterval), diffusionSteps: UInt32(clamping: acceleration.diffusionSteps),
            visualTokensReused: UInt32(clamping: report.tokenReuse?.reused ?? 0),
            visualTokensRecomputed: UInt32(clamping: report.tokenReuse?.recomputed ?? acceleration.visualTokensTotal),
            fullRefresh: report.tokenReuse?.fullRefresh ?? true)
    }
}
