import Foundation

/// Answers the node service's requests (see `ServiceOperation`): every request gets exactly one JSON
/// object back, `{"ok": true, "op": …, …}` or `{"ok": false, "error": …, "ops": […]}`, so a REQ client
/// never waits for a reply that does not come. Reads the node's thread-safe state only; `reset` goes
/// through `EpisodeReset`. Used by the service thread.
public final class ServiceHandler: @unchecked Sendable {
    /// The node state the replies read.
    public struct Node {
        /// The launch configuration.
        public var configuration: LaunchConfiguration
        /// The loaded model.
        public var model: ModelDescription
        /// The acceleration settings in effect.
        public var acceleration: AccelerationReport
        /// Counters and latency windows.
        public var statistics: NodeStatistics
        /// The action scheduler (episode, retained chunks).
        public var scheduler: ActionScheduler
        /// The instruction mailbox (the current instruction).
        public var instructions: LatestValueMailbox<String>
        /// The frame mailbox (its counters).
        public var frames: LatestValueMailbox<ObservedFrame>
        /// Episode resets.
        public var resets: EpisodeReset
        /// The node's monotonic clock.
        public var clock: any MonotonicClock
        /// When the node started, on `clock`.
        public var startTime: UInt64
    }

    private let node: Node

    /// A handler over the node's state.
    public init(node: Node) {
        self.node = node
    }

    /// The reply (one JSON frame) to one request message.
    public func reply(to request: [[UInt8]]) -> [UInt8] {
        let object: [String: Any]
        do {
            switch try ServiceOperation.parse(request) {
            case .info: object = info()
            case .ping: object = ping()
            case .reset: object = reset()
            case .stats: object = ServiceReplies.stats(node.statistics.summary(frames: node.frames.counts))
            }
        } catch {
            object = ServiceReplies.error(String(describing: error))
        }
        // Every value above is a JSON type with finite numbers (latencies and settings are finite).
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) }
            ?? Array(#"{"ok": false, "error": "the reply could not be encoded"}"#.utf8)
    }

    private func info() -> [String: Any] {
        let configuration = node.configuration, model = node.model
        let control = configuration.control
        return [
            "ok": true, "op": ServiceOperation.info.rawValue, "version": ProductVersion.string,
            "node_name": configuration.nodeName,
            "model": ["dir": model.directory, "config_sha256": model.configSHA256, "load_s": model.loadSeconds],
            "horizon": model.horizon, "action_dim": model.actionDimension,
            "actions": ServiceReplies.actions(model),
            "control_rate_hz": control.rateHz, "control_period_s": 1 / control.rateHz,
            "chunk_policy": ServiceReplies.chunkPolicy(control.policy),
            "acceleration": ServiceReplies.acceleration(node.acceleration, temporalReuse: model.temporalReuse),
            "gflop_last_inference": ServiceReplies.optional(node.statistics.recentInference.gflop),
            "topics": ServiceReplies.topics(configuration.topics),
        ]
    }

    private func ping() -> [String: Any] {
        let now = node.clock.now()
        let seconds = { (time: UInt64) in Double(now &- time) / 1e9 }
        let recent = node.statistics.recentInference
        let counters = node.statistics.counters.snapshot()
        return [
            "ok": true, "op": ServiceOperation.ping.rawValue, "uptime_s": seconds(node.startTime),
            "inferences": counters[.inferences], "inference_failures": counters[.inferenceFailures],
            "since_last_inference_s": ServiceReplies.optional(recent.completedAt.map(seconds)),
            "last_error": ServiceReplies.optional(recent.lastError.map { ["message": $0.message, "age_s": seconds($0.time)] }),
            "episode": node.scheduler.episode.number, "retained_chunks": node.scheduler.retainedChunkCount,
            "instruction": ServiceReplies.optional(node.instructions.latest()?.value),
        ]
    }

    private func reset() -> [String: Any] {
        let outcome = node.resets.reset(source: "the node service")
        return ["ok": true, "op": ServiceOperation.reset.rawValue, "episode": outcome.episode, "cleared_chunks": outcome.clearedChunks]
    }
}
