/// `vla_msgs/msg/InferenceLatency`: per-stage timing, drops and acceleration settings of one inference.
public struct InferenceLatency: ROSMessage {
    /// `vla_msgs/msg/InferenceLatency`
    public static let typeName = "vla_msgs/msg/InferenceLatency"
    /// Text of `msgs/vla_msgs/msg/InferenceLatency.msg`.
    public static let definition = #"""
# Timing and acceleration report for one inference of the VLA policy.
# Published at a fixed rate; it doubles as the node's heartbeat.

# header.stamp: when this report was published.
std_msgs/Header header

# Counts every published InferenceLatency message.
uint64 sequence

# The inference these numbers describe (matches ActionChunk.inference_sequence).
uint64 inference_sequence

# Stamp (header.stamp) of the camera frame the inference used.
builtin_interfaces/Time observation_stamp

# Per-stage durations of that inference, in milliseconds.
float64 decode_ms          # image decode and preprocessing
float64 vision_ms          # vision encoders (DINOv2 + SigLIP)
float64 projector_ms       # vision-to-language projector
float64 llm_ms             # language model
float64 action_head_ms     # diffusion action head
float64 post_ms            # post-processing and publishing
float64 inference_ms       # whole inference, decode to post

# Milliseconds from the frame's stamp to the publish of the resulting chunk.
float64 end_to_end_ms

# Age of the frame, in milliseconds, when inference started.
float64 frame_age_ms

# Frame bookkeeping since the node started.
uint64 frames_received     # camera frames received
uint64 frames_skipped      # frames replaced by a newer one before inference used them
uint64 queue_drops         # messages dropped by full queues or as malformed
uint64 recorder_drops      # messages the bag recorder dropped because its queue was full (node.record.queue_mb)

# Control ticks that found no action to publish, since the node started.
uint64 deadline_misses

# Floating-point work of the inference, in GFLOP.
float64 gflops

# Acceleration settings in effect (EfficientVLA).
uint32 llm_layers_kept       # language-model layers executed
uint32 llm_layers_total      # layers in the model
uint32 visual_tokens_kept    # visual tokens passed to the language model
uint32 visual_tokens_total   # visual tokens produced by the vision encoders
uint32 cache_interval        # action-head feature cache interval in steps (1 = no caching)
uint32 diffusion_steps       # denoising steps of the action head

# Temporal reuse across camera frames (node.acceleration.temporal_reuse).
uint32 visual_tokens_reused      # visual tokens that kept the previous inference's keys/values
uint32 visual_tokens_recomputed  # visual tokens computed from this frame
bool full_refresh                # every visual token was recomputed (reuse off, first frame, new instruction, periodic or scene change)

"""#
    /// `std_msgs/Header`, `builtin_interfaces/Time`.
    public static let dependencies: [any ROSMessage.Type] = [Header.self, Time.self]

    /// Stamp = when this report was published.
    public var header: Header
    /// Counts published InferenceLatency messages.
    public var sequence: UInt64
    /// The inference described (matches `ActionChunk.inferenceSequence`).
    public var inferenceSequence: UInt64
    /// Stamp of the camera frame the inference used.
    public var observationStamp: Time
    /// Image decode and preprocessing, ms.
    public var decodeMs: Double
    /// Vision encoders, ms.
    public var visionMs: Double
    /// Vision-to-language projector, ms.
    public var projectorMs: Double
    /// Language model, ms.
    public var llmMs: Double
    /// Diffusion action head, ms.
    public var actionHeadMs: Double
    /// Post-processing and publishing, ms.
    public var postMs: Double
    /// Whole inference, ms.
    public var inferenceMs: Double
    /// Frame stamp to publish of the resulting chunk, ms.
    public var endToEndMs: Double
    /// Age of the frame when inference started, ms.
    public var frameAgeMs: Double
    /// Camera frames received since start.
    public var framesReceived: UInt64
    /// Frames replaced by a newer one before inference used them.
    public var framesSkipped: UInt64
    /// Messages dropped by full queues or as malformed.
    public var queueDrops: UInt64
    /// Messages the bag recorder dropped because its queue was full.
    public var recorderDrops: UInt64
    /// Control ticks that found no action to publish.
    public var deadlineMisses: UInt64
    /// Floating-point work of the inference, GFLOP.
    public var gflops: Double
    /// Language-model layers executed.
    public var llmLayersKept: UInt32
    /// Layers in the language model.
    public var llmLayersTotal: UInt32
    /// Visual tokens passed to the language model.
    public var visualTokensKept: UInt32
    /// Visual tokens produced by the vision encoders.
    public var visualTokensTotal: UInt32
    /// Action-head feature cache interval in steps (1 = no caching).
    public var cacheInterval: UInt32
    /// Denoising steps of the action head.
    public var diffusionSteps: UInt32
    /// Visual tokens that kept the previous inference's keys/values.
    public var visualTokensReused: UInt32
    /// Visual tokens computed from this frame.
    public var visualTokensRecomputed: UInt32
    /// Whether every visual token was recomputed.
    public var fullRefresh: Bool

    /// A report from its fields (all default to zero).
    public init(header: Header = Header(),
                sequence: UInt64 = 0,
                inferenceSequence: UInt64 = 0,
                observationStamp: Time = Time(),
                decodeMs: Double = 0,
                visionMs: Double = 0,
                projectorMs: Double = 0,
                llmMs: Double = 0,
                actionHeadMs: Double = 0,
                postMs: Double = 0,
                inferenceMs: Double = 0,
                endToEndMs: Double = 0,
                frameAgeMs: Double = 0,
                framesReceived: UInt64 = 0,
                framesSkipped: UInt64 = 0,
                queueDrops: UInt64 = 0,
                recorderDrops: UInt64 = 0,
                deadlineMisses: UInt64 = 0,
                gflops: Double = 0,
                llmLayersKept: UInt32 = 0,
                llmLayersTotal: UInt32 = 0,
                visualTokensKept: UInt32 = 0,
                visualTokensTotal: UInt32 = 0,
                cacheInterval: UInt32 = 0,
                diffusionSteps: UInt32 = 0,
                visualTokensReused: UInt32 = 0,
                visualTokensRecomputed: UInt32 = 0,
                fullRefresh: Bool = false) {
        self.header = header
        self.sequence = sequence
        self.inferenceSequence = inferenceSequence
        self.observationStamp = observationStamp
        self.decodeMs = decodeMs
        self.visionMs = visionMs
        self.projectorMs = projectorMs
        self.llmMs = llmMs
        self.actionHeadMs = actionHeadMs
        self.postMs = postMs
        self.inferenceMs = inferenceMs
        self.endToEndMs = endToEndMs
        self.frameAgeMs = frameAgeMs
        self.framesReceived = framesReceived
        self.framesSkipped = framesSkipped
        self.queueDrops = queueDrops
        self.recorderDrops = recorderDrops
        self.deadlineMisses = deadlineMisses
        self.gflops = gflops
        self.llmLayersKept = llmLayersKept
        self.llmLayersTotal = llmLayersTotal
        self.visualTokensKept = visualTokensKept
        self.visualTokensTotal = visualTokensTotal
        self.cacheInterval = cacheInterval
        self.diffusionSteps = diffusionSteps
        self.visualTokensReused = visualTokensReused
        self.visualTokensRecomputed = visualTokensRecomputed
        self.fullRefresh = fullRefresh
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(header: Header())
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.header),
        .field(\.sequence),
        .field(\.inferenceSequence),
        .field(\.observationStamp),
        .field(\.decodeMs),
        .field(\.visionMs),
        .field(\.projectorMs),
        .field(\.llmMs),
        .field(\.actionHeadMs),
        .field(\.postMs),
        .field(\.inferenceMs),
        .field(\.endToEndMs),
        .field(\.frameAgeMs),
        .field(\.framesReceived),
        .field(\.framesSkipped),
        .field(\.queueDrops),
        .field(\.recorderDrops),
        .field(\.deadlineMisses),
        .field(\.gflops),
        .field(\.llmLayersKept),
        .field(\.llmLayersTotal),
        .field(\.visualTokensKept),
        .field(\.visualTokensTotal),
        .field(\.cacheInterval),
        .field(\.diffusionSteps),
        .field(\.visualTokensReused),
        .field(\.visualTokensRecomputed),
        .field(\.fullRefresh),
    ]
}
