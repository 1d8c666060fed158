/// A camera message as it arrived, before decoding: the inference thread decodes only the frames it
/// actually runs on, so frames replaced in the mailbox cost nothing.
public struct ObservedFrame: Sendable {
    /// The CDR bytes of the `sensor_msgs/msg/Image` or `CompressedImage` message.
    public let message: [UInt8]
    /// When the ingress thread received it, in monotonic nanoseconds. This is the observation time the
    /// action scheduler uses: action 0 of the predicted chunk applies at this moment.
    public let receivedAt: UInt64
    /// The message's `header.stamp` in nanoseconds since the Unix epoch (nil when not known).
    public let stamp: Int64?

    /// Creates a frame.
    public init(message: [UInt8], receivedAt: UInt64, stamp: Int64? = nil) {
        self.message = message
        self.receivedAt = receivedAt
        self.stamp = stamp
    }
}

/// How long one stage of an inference took.
public struct StageTiming: Equatable, Sendable {
    /// The stage name; the latency topic reads the stages named by the constants below
    /// (others are ignored).
    public let name: String
    /// Its duration in milliseconds.
    public let milliseconds: Double

    /// Creates a stage timing.
    public init(name: String, milliseconds: Double) {
        self.name = name
        self.milliseconds = milliseconds
    }

    /// Payload decoding and preprocessing (`decode_ms`).
    public static let decode = "decode"
    /// The vision towers (`vision_ms`).
    public static let vision = "vision"
    /// The projector (`projector_ms`).
    public static let projector = "projector"
    /// The language model (`llm_ms`).
    public static let llm = "llm"
    /// The diffusion action head (`action_head_ms`).
    public static let actionHead = "action_head"
    /// Un-normalisation and the rest (`post_ms`).
    public static let post = "post"
}

/// What one inference produced.
public struct ChunkResult: Sendable {
    /// Un-normalised actions, one row per control period (CogACT: 16 × 7).
    public let actions: [[Float]]
    /// Per-stage durations, in pipeline order.
    public let stages: [StageTiming]
    /// Floating-point work of the inference in GFLOP (0 when not counted).
    public let gflop: Double
    /// Visual tokens the language model kept in this inference (nil when the policy does not say;
    /// the latency topic then reports the start-up `AccelerationReport`).
    public let visualTokensKept: Int?
    /// What temporal reuse did (nil when the policy has it off).
    public let tokenReuse: VisualTokenReuse?

    /// Creates a result.
    public init(actions: [[Float]], stages: [StageTiming] = [], gflop: Double = 0, visualTokensKept: Int? = nil,
                tokenReuse: VisualTokenReuse? = nil) {
        self.actions = actions
        self.stages = stages
        self.gflop = gflop
        self.visualTokensKept = visualTokensKept
        self.tokenReuse = tokenReuse
    }
}

/// The policy as the node sees it; the runtime implements it with the CogACT engine.
///
/// The runtime's implementation decodes the frame's message (Messages + Imaging), runs the engine with
/// the instruction and returns the chunk. `InferenceLoop` calls it from one dedicated thread only, so an
/// implementation may own every BLAS call without locking.
public protocol PolicyRunner: AnyObject {
    /// Predicts an action chunk for the frame and instruction; with `continuation` (real-time
    /// chunking) as a continuation of the runner's previous chunk.
    /// - Throws: an error conforming to `MalformedFrameError` when the frame cannot be decoded (counted as
    ///   a malformed message on the camera topic), any other error for an engine failure (counted as an
    ///   inference failure). The loop logs either and carries on.
    func infer(frame: ObservedFrame, instruction: String, continuation: ChunkContinuation?) throws -> ChunkResult

    /// Forgets everything carried from one inference to the next (temporal caches): a new episode
    /// starts. Called on the inference thread, between inferences.
    func resetEpisode()
}

/// Marks errors meaning "this camera message is malformed" (bad CDR, wrong sizes, undecodable image),
/// as opposed to failures of the engine itself.
public protocol MalformedFrameError: Error {}

/// What real-time chunking tells the runner about the chunk being executed while it infers.
public struct ChunkContinuation: Equatable, Sendable {
    /// Rows of the new chunk, counted from its observation time, that will already have run from the
    /// previous chunk when it is published: ⌈(inference start − observation + expected inference
    /// time) / P⌉, the expected time being the p50 of recent inferences.
    public let frozenRows: Int
    /// The control period P in nanoseconds (row k of a chunk runs at its observation time + k·P).
    public let periodNanoseconds: UInt64

    /// A continuation from its parts.
    public init(frozenRows: Int, periodNanoseconds: UInt64) {
        self.frozenRows = frozenRows
        self.periodNanoseconds = periodNanoseconds
    }
}
