/// An action chunk as the inference thread hands it to the scheduler.
public struct StampedChunk: Equatable, Sendable {
    /// When the observed frame was received, in monotonic nanoseconds. Action k of the chunk is
    /// scheduled at `observationTime + k · period`.
    public let observationTime: UInt64
    /// The un-normalised actions, one row per control period (CogACT: 16 rows of 7).
    public let actions: [[Float]]
    /// The sequence number of the instruction the chunk was predicted for.
    public let instructionSequence: UInt64
    /// The number of the inference that predicted the chunk (0 when unknown).
    public let inferenceSequence: UInt64
    /// The camera frame's `header.stamp` in nanoseconds since the Unix epoch, if it had one.
    public let observationStamp: Int64?
    /// The episode (`ActionScheduler.episode.number`) current when the inference started.
    public let episode: UInt64

    /// Creates a stamped chunk.
    public init(observationTime: UInt64, actions: [[Float]], instructionSequence: UInt64,
                inferenceSequence: UInt64 = 0, observationStamp: Int64? = nil, episode: UInt64 = 0) {
        self.observationTime = observationTime
        self.actions = actions
        self.instructionSequence = instructionSequence
        self.inferenceSequence = inferenceSequence
        self.observationStamp = observationStamp
        self.episode = episode
    }
}

/// An episode of the scheduler: numbered from 0, bumped by every `ActionScheduler.resetEpisode`.
public struct Episode: Equatable, Sendable {
    /// The episode number.
    public let number: UInt64
    /// When it started (monotonic nanoseconds; 0 for the first). Frames observed earlier belong to an
    /// earlier episode.
    public let startTime: UInt64
}

/// What the scheduler decided to publish for one tick.
public struct ScheduledActions: Equatable, Sendable {
    /// The tick time the actions start at (monotonic nanoseconds); the message stamp.
    public let tickTime: UInt64
    /// Chunking: every action of the newest chunk; rows before `currentIndex` are already past.
    /// Ensemble: the one combined action.
    public let actions: [[Float]]
    /// Actions of the newest contributing chunk that were already in the past at the tick.
    public let droppedActions: Int
    /// How many chunks contributed (1 for chunking; up to the horizon for the ensemble).
    public let contributingChunks: Int
    /// The observation time of the newest contributing chunk.
    public let observationTime: UInt64
    /// The inference that predicted the newest contributing chunk.
    public var inferenceSequence: UInt64 = 0
    /// The camera frame stamp (ns since the epoch) of the newest contributing chunk, if known.
    public var observationStamp: Int64? = nil
    /// The row of `actions` that applies at the tick (the ActionChunk's `current_index`): chunking
    /// publishes the whole chunk, so a consumer that buffers it (or a lock-step simulator) also has
    /// the rows from the observation on; ensemble publishes one row, index 0.
    public var currentIndex: Int = 0
}

/// Why nothing was published for a tick (each one is a deadline miss).
public enum DeadlineMissReason: Equatable, Sendable, CustomStringConvertible {
    /// No chunk has been accepted since the start or the last instruction change.
    case noChunk
    /// Every action of the newest chunk(s) is already in the past.
    case chunkExhausted
    /// The newest chunk starts after this tick (its observation is newer than the tick).
    case chunkNotYetValid

    public var description: String {
        switch self {
        case .noChunk: return "no chunk yet"
        case .chunkExhausted: return "newest chunk exhausted"
        case .chunkNotYetValid: return "newest chunk starts after the tick"
        }
    }
}

/// The scheduler's answer for one tick.
public enum TickOutcome: Equatable, Sendable {
    /// Publish these actions stamped with the tick time.
    case publish(ScheduledActions)
    /// Publish nothing and count a deadline miss.
    case deadlineMiss(DeadlineMissReason)
}

/// Why the scheduler refused a chunk.
public enum ChunkRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chunk was predicted for an instruction that has since been replaced.
    case staleInstruction(chunk: UInt64, current: UInt64)
    /// The chunk's inference started before an episode reset.
    case staleEpisode(chunk: UInt64, current: UInt64)
    /// The chunk's observation is not newer than the newest accepted chunk's.
    case notNewer(observationTime: UInt64, newest: UInt64)
    /// The chunk has no actions.
    case empty
    /// The chunk's rows have different widths or a width of zero.
    case raggedRows
    /// The chunk contains NaN or infinity.
    case nonFinite
    /// The chunk's action width differs from the retained chunks'.
    case widthChanged(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .staleInstruction(let chunk, let current):
            return "chunk dropped: predicted for instruction #\(chunk), current is #\(current)"
        case .staleEpisode(let chunk, let current):
            return "chunk dropped: its inference started in episode #\(chunk), before the reset to episode #\(current)"
        case .notNewer(let observationTime, let newest):
            return "chunk dropped: observation at \(observationTime) ns is not newer than \(newest) ns"
        case .empty: return "chunk dropped: it has no actions"
        case .raggedRows: return "chunk dropped: its actions have different or zero widths"
        case .nonFinite: return "chunk dropped: it contains NaN or infinity"
        case .widthChanged(let expected, let found):
            return "chunk dropped: its actions have \(found) values, the retained chunks have \(expected)"
        }
    }
}
