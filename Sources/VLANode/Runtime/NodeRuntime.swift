import Foundation
import Inference
import Logging
import ZMQ

/// The running node: wires the launch configuration to the ingress, inference and control threads
/// (see the VLANode article for the data flow) and shuts them down in order.
///
/// Threads and socket ownership: the ingress thread creates and owns the SUB sockets; the PUB sockets
/// are created here and handed to the control thread when it starts (a synchronising hand-over), and
/// are closed here only after that thread has finished. The node service's REP socket is opened here
/// and handed to the service thread the same way; that thread closes it. The policy is driven by the
/// inference thread only, so it owns every BLAS call.
public final class NodeRuntime {
    /// The addresses the node's sockets use (bound wildcards resolved, e.g. `tcp://127.0.0.1:41235`).
    public struct Addresses: Equatable, Sendable {
        /// SUB sockets, in `SocketPlan.inputs` order.
        public let inputs: [String]
        /// PUB sockets, in `SocketPlan.outputs` order.
        public let outputs: [String]
        /// The node service's REP socket (nil without `node.service`).
        public let service: String?
    }

    /// The configuration the node runs.
    public let configuration: LaunchConfiguration
    /// Counters and latency windows.
    public let statistics: NodeStatistics
    private let frames = LatestValueMailbox<ObservedFrame>()
    private let instructions = LatestValueMailbox<String>()
    private let scheduler: ActionScheduler
    /// Episode resets (the reset topic; the node service).
    public let resets: EpisodeReset
    private let clock = SystemMonotonicClock()
    private let zmq: ZMQ.Context
    private let recorder: NodeRecorder?
    private let publisher: OutputPublisher
    private let ingress: IngressThread
    private let inference: InferenceLoop
    private let service: NodeService?
    private var control: ControlLoop?
    private let periodNanoseconds: UInt64
    private let logger: Logger
    private let outputAddresses: [String]
    private var stopped = false

    /// Prepares the node around an already loaded policy runner (no thread runs yet). The PUB sockets
    /// and the service's REP socket are bound or connected here, so a busy port fails before anything
    /// starts. `model` describes the loaded model to the node service.
    /// - Throws: `NodeError` (endpoints, bag), `ControlError`/`StatsError` for settings out of range.
    public init(configuration: LaunchConfiguration, runner: PolicyRunner, acceleration: AccelerationReport,
                model: ModelDescription, logger: Logger = Logger(label: "vla-node")) throws {
        self.configuration = configuration
        self.logger = logger
        let period = try FixedRateTicker.period(rateHz: configuration.control.rateHz)
        let stats = configuration.stats
        statistics = try NodeStatistics(windowCapacity: stats.window, inferenceWarmUp: stats.warmUpInferences, jitterWarmUp: 0)
        scheduler = try ActionScheduler(policy: configuration.control.policy, periodNanoseconds: period)
        do {
            zmq = try ZMQ.Context()
        } catch {
            throw NodeError.startup("cannot create the ZeroMQ context: \(error)")
        }
        let plan = SocketPlan(topics: configuration.topics)
        var outputSockets: [String: Socket] = [:]
        var resolvedOutputs: [String] = []
        for spec in plan.outputs {
            let socket = try zmq.makeSocket(.pub)
            resolvedOutputs.append(try socket.attach(spec.endpoint))
            for topic in spec.topics { outputSockets[topic] = socket }
        }
        resets = EpisodeReset(scheduler: scheduler, counters: statistics.counters, clock: clock, logger: logger)
        if let endpoint = configuration.service {
            let handler = ServiceHandler(node: ServiceHandler.Node(
                configuration: configuration, model: model, acceleration: acceleration, statistics: statistics,
                scheduler: scheduler, instructions: instructions, frames: frames, resets: resets, clock: clock,
                startTime: clock.now()))
            service = try NodeService(endpoint: endpoint, context: zmq, handler: handler, counters: statistics.counters,
                                      logger: logger)
        } else {
            service = nil
        }
        // Last of the steps that can fail, so a failed start never leaves its writer thread running.
        let counters = statistics.counters
        recorder = try configuration.record.map { try NodeRecorder(settings: $0, topics: configuration.topics, counters: counters) }
        let anchor = WallClockAnchor(clock: clock)
        publisher = OutputPublisher(
            topics: configuration.topics, sockets: outputSockets,
            context: OutputPublisher.Environment(
                anchor: anchor, clock: clock, controlPeriodSeconds: Double(period) / 1e9, statistics: statistics,
                frames: frames, acceleration: acceleration),
            recorder: recorder)
        let instructionIngress = InstructionIngress(mailbox: instructions, scheduler: scheduler, counters: statistics.counters)
        let router = IngressRouter(topics: configuration.topics, frames: frames, instructions: instructionIngress,
                                   resets: resets, statistics: statistics)
        ingress = IngressThread(plan: plan.inputs, context: zmq, router: router, recorder: recorder, clock: clock)
        inference = InferenceLoop(runner: runner, frames: frames, instructions: instructions, scheduler: scheduler,
                                  statistics: statistics, clock: clock, reports: publisher,
                                  cameraTopic: configuration.topics.camera.topic)
        periodNanoseconds = period
        outputAddresses = resolvedOutputs
    }

    /// Opens the input sockets and starts the ingress, inference and control threads.
    /// - Returns: the resolved socket addresses.
    /// - Throws: `NodeError.endpoint` when an input socket cannot bind or connect (nothing keeps running).
    @discardableResult
    public func start() throws -> Addresses {
        let summaryLogger = logger
        let control = try ControlLoop(
            ticker: FixedRateTicker(periodNanoseconds: periodNanoseconds, clock: clock), scheduler: scheduler,
            statistics: statistics, actions: publisher, frames: frames,
            summaryIntervalNanoseconds: configuration.stats.intervalNanoseconds,
            onSummary: { summaryLogger.info("stats: \($0.line)") })
        let inputs: [String]
        do {
            inputs = try ingress.start()
        } catch {
            _ = stop()
            throw error
        }
        self.control = control
        inference.start()
        control.start()
        service?.start()
        let resolved = Addresses(inputs: inputs, outputs: outputAddresses, service: service?.address)
        let topics = configuration.topics
        logger.info("""
            ready: \(configuration.nodeName) at \(configuration.control.rateHz) Hz; \
            in \(topics.camera.topic) (\(topics.cameraType.rawValue)) + \(topics.instruction.topic) + \(topics.reset.topic) on \(inputs.joined(separator: ", ")); \
            out \(topics.actionChunk.topic) + \(topics.latency.topic) on \(resolved.outputs.joined(separator: ", ")); \
            \(service.map { "service on \($0.address); " } ?? "")waiting for an instruction and a frame
            """)
        return resolved
    }

    /// Stops every thread in order (ingress, inference, control), sends the queued latency messages,
    /// closes the sockets (LINGER 0) and finishes the bag. Returns the final statistics summary.
    /// Idempotent: later calls return the summary again without side effects.
    @discardableResult
    public func stop(inferenceTimeout: TimeInterval = 30) -> StatsSummary {
        if !stopped {
            stopped = true
            if !ingress.stop(timeout: 2) { logger.warning("ingress thread did not stop within 2 s") }
            if let service, !service.stop(timeout: 2) { logger.warning("service thread did not stop within 2 s") }
            frames.close()
            if !inference.stop(timeout: inferenceTimeout) {
                logger.warning("inference still running after \(inferenceTimeout) s; shutting down without it")
            }
            // The control thread stops after the tick it is sleeping towards: allow one period (up to 30 s) more.
            let controlTimeout = 2 + min(Double(periodNanoseconds) / 1e9, 30)
            let controlStopped = control?.stop(timeout: controlTimeout) ?? true
            if controlStopped {
                publisher.flushReports()
                publisher.close()
            } else {
                logger.warning("control thread did not stop within \(controlTimeout) s; its sockets are abandoned")
            }
            zmq.shutdown()
            if let recorder {
                let summary = recorder.finish()
                let describe = { (counts: [String: UInt64]) in
                    counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                }
                let dropped = summary.dropped.isEmpty ? "none" : describe(summary.dropped)
                logger.info("bag \(recorder.path) finished: \(describe(summary.recorded)); dropped (queue full): \(dropped)")
            }
        }
        return statistics.summary(frames: frames.counts)
    }
}
