import Logging

/// Ends the current episode, as the `/vla/reset` topic and the node service's `reset` ask: the action
/// scheduler clears its history (the chunk being executed, the ensemble's or the aggregation's earlier
/// chunks) and starts a new episode, so chunks of inferences that started before the reset and frames
/// observed before it are refused; the inference thread clears the policy's temporal caches before
/// its next inference. A new instruction clears the history too (`InstructionIngress`).
/// Thread-safe: any thread may reset.
public final class EpisodeReset: @unchecked Sendable {
    /// What one reset did.
    public struct Outcome: Equatable, Sendable {
        /// The episode that starts now.
        public let episode: UInt64
        /// Chunks the scheduler held and dropped.
        public let clearedChunks: Int
    }

    private let scheduler: ActionScheduler
    private let counters: NodeCounters
    private let clock: any MonotonicClock
    private let logger: Logger

    /// Creates the reset for a node's scheduler.
    public init(scheduler: ActionScheduler, counters: NodeCounters, clock: any MonotonicClock,
                logger: Logger = Logger(label: "vla-node")) {
        self.scheduler = scheduler
        self.counters = counters
        self.clock = clock
        self.logger = logger
    }

    /// Starts a new episode now; `source` names who asked (a topic or `service`) for the log.
    @discardableResult
    public func reset(source: String) -> Outcome {
        let (episode, cleared) = scheduler.resetEpisode(at: clock.now())
        counters.increment(.episodeResets)
        logger.info("episode #\(episode.number) (reset from \(source)): cleared \(cleared) chunk(s) and the temporal caches")
        return Outcome(episode: episode.number, clearedChunks: cleared)
    }
}
