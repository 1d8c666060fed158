import Inference

/// Turns the chunks predicted by the inference thread into what the control loop publishes at each tick.
///
/// **Time base.** Action k of a chunk is scheduled at `observationTime + k · P` (P = control period):
/// action 0 applies at the moment the observed frame arrived, as in LeRobot's timestep-indexed queue.
///
/// **Index of "now".** At tick time T the actions scheduled before `T − ⌊P/2⌋` are in the past and are
/// dropped; the first remaining one (scheduled within half a period of T) is "now". A chunk *covers* T
/// when that index exists and the action is not scheduled at or after `T + ⌈P/2⌉` (the chunk has not
/// started yet). The number dropped is therefore measured from the observation time, not estimated.
///
/// **Chunking** publishes the newest chunk whole, with "now" as its current index. **Ensemble** keeps the newest `horizon`
/// chunks, takes "now" from every one that covers T (element k of a chunk observed k ticks earlier) and
/// returns `AdaptiveEnsemble.combine` of them, oldest first, the newest covering chunk as reference.
/// **Aggregate** merges each new chunk into a plan step by step (`AggregatedPlan.merge`) and publishes
/// the plan like chunking publishes its chunk. If nothing covers T the tick is a deadline miss.
///
/// **Instructions and episodes.** `beginInstruction` with a new sequence number clears the history, and
/// chunks predicted for another instruction are refused. `resetEpisode` clears it too and starts a new
/// episode: chunks carry the episode their inference started in, and those of an earlier one are
/// refused, so an inference that was running during the reset publishes nothing. Thread-safe: the
/// inference thread submits while the control thread asks for ticks and the ingress or service thread
/// resets.
public final class ActionScheduler: @unchecked Sendable {
    /// The publishing policy.
    public let policy: ChunkPolicy
    /// The control period P in nanoseconds.
    public let periodNanoseconds: UInt64

    private struct State {
        var instructionSequence: UInt64 = 0
        var episode = Episode(number: 0, startTime: 0)
        var chunks: [StampedChunk] = []  // oldest first, strictly increasing observation times
        var plan: AggregatedPlan?  // the aggregate policy's merged plan

        mutating func clear() {
            chunks.removeAll()
            plan = nil
        }
    }

    private let state = Locked(State())
    private let retainedChunks: Int

    /// Creates a scheduler for the instruction with sequence number 0.
    /// - Throws: `ControlError.invalidPeriod` for P = 0, `.invalidEnsemble` for a non-finite α or K < 1.
    public init(policy: ChunkPolicy, periodNanoseconds: UInt64) throws {
        guard periodNanoseconds > 0 else { throw ControlError.invalidPeriod(nanoseconds: periodNanoseconds) }
        switch policy {
        case .chunking, .realTimeChunking:
            retainedChunks = 1
        case .aggregate(let rule):
            guard (0 ... 1).contains(rule.newWeight) else { throw ControlError.invalidAggregationWeight(rule.newWeight) }
            retainedChunks = 1
        case .ensemble(let alpha, let horizon):
            guard alpha.isFinite, horizon >= 1 else { throw ControlError.invalidEnsemble(alpha: alpha, horizon: horizon) }
            retainedChunks = horizon
        }
        self.policy = policy
        self.periodNanoseconds = periodNanoseconds
    }

    /// The instruction sequence chunks must carry to be accepted.
    public var instructionSequence: UInt64 {
        state.withLock { $0.instructionSequence }
    }

    /// The current episode: chunks must carry its number to be accepted.
    public var episode: Episode {
        state.withLock { $0.episode }
    }

    /// The number of chunks currently retained.
    public var retainedChunkCount: Int {
        state.withLock { $0.chunks.count }
    }

    /// Switches to an instruction; a different sequence number than the current one clears the history.
    public func beginInstruction(sequence: UInt64) {
        state.withLock { state in
            guard state.instructionSequence != sequence else { return }
            state.instructionSequence = sequence
            state.clear()
        }
    }

    /// Starts a new episode at `time` (monotonic nanoseconds): clears the history and makes chunks of
    /// earlier episodes stale. Returns the new episode and how many chunks were cleared.
    @discardableResult
    public func resetEpisode(at time: UInt64) -> (episode: Episode, clearedChunks: Int) {
        state.withLock { state in
            let cleared = state.chunks.count
            state.episode = Episode(number: state.episode.number &+ 1, startTime: time)
            state.clear()
            return (state.episode, cleared)
        }
    }

    /// Adds a freshly predicted chunk.
    /// - Throws: `ChunkRejection` when the chunk is malformed, older than the newest one, or was
    ///   predicted for another instruction or episode. A refused chunk changes nothing.
    public func submit(_ chunk: StampedChunk) throws {
        try Self.validate(chunk.actions)
        try state.withLock { state in
            guard chunk.instructionSequence == state.instructionSequence else {
                throw ChunkRejection.staleInstruction(chunk: chunk.instructionSequence, current: state.instructionSequence)
            }
            guard chunk.episode == state.episode.number else {
                throw ChunkRejection.staleEpisode(chunk: chunk.episode, current: state.episode.number)
            }
            if let newest = state.chunks.last {
                guard chunk.observationTime > newest.observationTime else {
                    throw ChunkRejection.notNewer(observationTime: chunk.observationTime, newest: newest.observationTime)
                }
                guard chunk.actions[0].count == newest.actions[0].count else {
                    throw ChunkRejection.widthChanged(expected: newest.actions[0].count, found: chunk.actions[0].count)
                }
            }
            state.chunks.append(chunk)
            if state.chunks.count > retainedChunks { state.chunks.removeFirst(state.chunks.count - retainedChunks) }
            if case .aggregate(let rule) = policy {
                state.plan = AggregatedPlan.merge(chunk, into: state.plan, periodNanoseconds: periodNanoseconds, rule: rule)
            }
        }
    }

    /// What to publish at tick time `tickTime` (monotonic nanoseconds).
    public func outcome(at tickTime: UInt64) -> TickOutcome {
        let (chunks, plan) = state.withLock { ($0.chunks, $0.plan) }
        guard let newest = chunks.last else { return .deadlineMiss(.noChunk) }
        switch policy {
        case .chunking, .realTimeChunking:
            return wholeChunkOutcome(newest, contributions: nil, at: tickTime)
        case .aggregate:
            return wholeChunkOutcome(plan?.chunk ?? newest, contributions: plan?.contributions, at: tickTime)
        case .ensemble(let alpha, _):
            return ensembleOutcome(chunks, at: tickTime, alpha: alpha)
        }
    }

    /// Publishes a whole chunk with "now" as its current index; `contributions` per row (nil: 1 each).
    private func wholeChunkOutcome(_ chunk: StampedChunk, contributions: [Int]?, at tickTime: UInt64) -> TickOutcome {
        guard case .covered(let index) = coverage(of: chunk, at: tickTime) else {
            return .deadlineMiss(missReason(chunk, at: tickTime))
        }
        return .publish(ScheduledActions(
            tickTime: tickTime, actions: chunk.actions, droppedActions: index,
            contributingChunks: contributions?[index] ?? 1, observationTime: chunk.observationTime,
            inferenceSequence: chunk.inferenceSequence, observationStamp: chunk.observationStamp,
            currentIndex: index))
    }

    private func ensembleOutcome(_ chunks: [StampedChunk], at tickTime: UInt64, alpha: Double) -> TickOutcome {
        var predictions: [[Float]] = []
        var newestCovering: (chunk: StampedChunk, index: Int)?
        for chunk in chunks {
            guard case .covered(let index) = coverage(of: chunk, at: tickTime) else { continue }
            predictions.append(chunk.actions[index])
            newestCovering = (chunk, index)
        }
        guard let newestCovering else { return .deadlineMiss(missReason(chunks[chunks.count - 1], at: tickTime)) }
        // Submitted chunks share one width and are finite, so `combine` cannot throw here.
        guard let action = try? AdaptiveEnsemble.combine(predictions, alpha: alpha) else {
            return .deadlineMiss(.chunkExhausted)
        }
        return .publish(ScheduledActions(
            tickTime: tickTime, actions: [action], droppedActions: newestCovering.index,
            contributingChunks: predictions.count, observationTime: newestCovering.chunk.observationTime,
            inferenceSequence: newestCovering.chunk.inferenceSequence,
            observationStamp: newestCovering.chunk.observationStamp))
    }

    private func missReason(_ newest: StampedChunk, at tickTime: UInt64) -> DeadlineMissReason {
        coverage(of: newest, at: tickTime) == .notYetValid ? .chunkNotYetValid : .chunkExhausted
    }

    private enum Coverage: Equatable {
        case covered(index: Int)
        case exhausted
        case notYetValid
    }

    /// Applies the "index of now" rule documented on the type, in signed 64-bit arithmetic.
    private func coverage(of chunk: StampedChunk, at tickTime: UInt64) -> Coverage {
        let period = Int64(clamping: periodNanoseconds)
        let halfDown = period / 2
        let halfUp = period - halfDown
        let offset = Int64(clamping: tickTime) - Int64(clamping: chunk.observationTime)  // T − obs
        // Actions scheduled before T − ⌊P/2⌋: obs + kP < T − ⌊P/2⌋  ⇔  k < (offset − ⌊P/2⌋) / P.
        let pastSpan = offset - halfDown
        let dropped = pastSpan <= 0 ? 0 : (pastSpan + period - 1) / period
        // Action `dropped` starts at or after T + ⌈P/2⌉: the chunk begins after this tick.
        if dropped == 0, -offset >= halfUp { return .notYetValid }
        guard dropped < Int64(chunk.actions.count) else { return .exhausted }
        return .covered(index: Int(dropped))
    }

    private static func validate(_ actions: [[Float]]) throws {
        guard let width = actions.first?.count else { throw ChunkRejection.empty }
        guard width > 0, actions.allSatisfy({ $0.count == width }) else { throw ChunkRejection.raggedRows }
        guard actions.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw ChunkRejection.nonFinite }
    }
}
