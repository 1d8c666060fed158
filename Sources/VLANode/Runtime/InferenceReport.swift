/// What happened to the chunk an inference produced.
public enum InferenceOutcome: Equatable, Sendable {
    /// The scheduler accepted the chunk.
    case accepted
    /// The scheduler refused the chunk (e.g. the instruction changed during inference).
    case rejected(ChunkRejection)
    /// The frame could not be decoded.
    case malformedFrame(String)
    /// The engine failed.
    case failed(String)
}

/// One inference, for the latency topic and the logs. Times are monotonic nanoseconds.
public struct InferenceReport: Equatable, Sendable {
    /// The number of this inference attempt, from 1.
    public let sequence: UInt64
    /// The frame's mailbox sequence number (gaps are frames skipped while inferring).
    public let frameSequence: UInt64
    /// The instruction's sequence number.
    public let instructionSequence: UInt64
    /// When the frame was received.
    public let observationTime: UInt64
    /// When inference started.
    public let startTime: UInt64
    /// When inference ended.
    public let endTime: UInt64
    /// Per-stage durations reported by the policy (empty on failure).
    public let stages: [StageTiming]
    /// The number of actions in the chunk (0 on failure).
    public let chunkLength: Int
    /// What became of the chunk.
    public let outcome: InferenceOutcome
    /// The camera frame's `header.stamp` in nanoseconds since the Unix epoch, if it had one.
    public var frameStamp: Int64? = nil
    /// Floating-point work of the inference in GFLOP (0 when the policy does not report it).
    public var gflop: Double = 0
    /// Visual tokens the language model kept, when the policy reports it per inference.
    public var visualTokensKept: Int? = nil
    /// What temporal reuse did, when the policy reports it.
    public var tokenReuse: VisualTokenReuse? = nil

    /// How old the frame was when inference started, in milliseconds.
    public var frameAgeMilliseconds: Double { Double(startTime &- observationTime) / 1e6 }
    /// Inference duration, in milliseconds.
    public var inferenceMilliseconds: Double { Double(endTime &- startTime) / 1e6 }
    /// From frame arrival to chunk ready, in milliseconds.
    public var totalMilliseconds: Double { Double(endTime &- observationTime) / 1e6 }
}
