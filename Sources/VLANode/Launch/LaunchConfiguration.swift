import Inference
import Logging

/// Everything a launch file configures for one node. Built by `LaunchLoader`; every field has been
/// validated, so the runtime can use it without further checks.
public struct LaunchConfiguration: Equatable, Sendable {
    /// `node.name`: the node's name in logs and bag metadata (default `vla_node`).
    public var nodeName: String
    /// `node.model`: where the checkpoint is and which robot's statistics un-normalise actions.
    public var model: ModelSettings
    /// `node.topics`: the five topics, each with a ZeroMQ endpoint.
    public var topics: TopicSettings
    /// `node.service`: the node service's REP endpoint (`bind:` or `connect:`); nil: no service.
    public var service: Endpoint?
    /// `node.acceleration`: EfficientVLA settings (all optional; none means the dense model).
    public var acceleration: LaunchAcceleration
    /// `node.control`: tick rate and chunk policy.
    public var control: ControlSettings
    /// `node.threads`: BLAS threads for the inference thread; nil means the runtime's default.
    public var threads: Int?
    /// `node.log_level`: one of trace, debug, info, notice, warning, error, critical (default info).
    public var logLevel: Logger.Level
    /// `node.stats`: the periodic latency summary.
    public var stats: StatsSettings
    /// `node.record`: record the node's traffic to an MCAP bag; nil means no recording.
    public var record: RecordSettings?
}

/// `node.model`.
public struct ModelSettings: Equatable, Sendable {
    /// `dir`: the model directory (see checkpoint-format.md); relative paths are relative to the
    /// working directory of the process (like `node.acceleration.prune_plan`).
    public var directory: String
    /// `unnorm_key`: the dataset statistics key used to un-normalise actions.
    public var unnormKey: String
}

/// Whether the node's socket binds the endpoint or connects to it.
public enum EndpointMode: String, Equatable, Sendable {
    /// The node listens on the address (peers connect to it).
    case bind
    /// The node connects to a peer listening on the address.
    case connect
}

/// A ZeroMQ endpoint such as `tcp://127.0.0.1:5555`, `ipc:///tmp/vla.sock` or `inproc://camera`.
public struct Endpoint: Equatable, Hashable, Sendable {
    /// Bind or connect.
    public var mode: EndpointMode
    /// The ZeroMQ address.
    public var address: String
}

/// A topic name and the endpoint its messages travel through (multipart `[topic, CDR]`).
public struct TopicBinding: Equatable, Sendable {
    /// The ROS-style topic name, matched exactly (not as a prefix).
    public var topic: String
    /// The endpoint. Topics of the same direction naming the same endpoint share one socket.
    public var endpoint: Endpoint
}

/// The message type on the camera topic.
public enum CameraMessageType: String, Equatable, Sendable, CaseIterable {
    /// Raw pixels.
    case image = "sensor_msgs/msg/Image"
    /// JPEG or PNG bytes.
    case compressedImage = "sensor_msgs/msg/CompressedImage"
}

/// `node.topics`.
public struct TopicSettings: Equatable, Sendable {
    /// Input `camera` (default topic `/camera/image_raw`).
    public var camera: TopicBinding
    /// `camera.type`: the camera message type (default `sensor_msgs/msg/Image`).
    public var cameraType: CameraMessageType
    /// Input `instruction`, `std_msgs/msg/String` (default topic `/instruction`).
    public var instruction: TopicBinding
    /// Input `reset`, `std_msgs/msg/Empty` (default topic `/vla/reset`): each message starts a new
    /// episode (`EpisodeReset`). Without a `reset` key it travels on the instruction's endpoint.
    public var reset: TopicBinding
    /// Output `action_chunk`, `vla_msgs/msg/ActionChunk` (default topic `/vla/action_chunk`).
    public var actionChunk: TopicBinding
    /// Output `latency`, `vla_msgs/msg/InferenceLatency` (default topic `/vla/latency`).
    public var latency: TopicBinding

    /// Every topic, inputs first: camera, instruction, reset, action chunk, latency.
    public var bindings: [TopicBinding] { [camera, instruction, reset, actionChunk, latency] }
}

/// How layers are removed from the language model (EfficientVLA layer pruning).
public enum LayerPruning: Equatable, Sendable {
    /// Keep every layer at full width.
    case none
    /// `prune_plan`: a plan file written by `vla-node calibrate` (dropped layers and the MLP channels
    /// each remaining layer keeps). A relative path is relative to the working directory of the
    /// process, like `node.model.dir`.
    case planFile(String)
    /// `drop_layers`: explicit 0-based layer indices (MLP layers stay at full width).
    case dropLayers([Int])
}

/// `node.acceleration`: the launch file's EfficientVLA keys, before they are checked against the
/// model and turned into the engine's `Inference.AccelerationSettings` by `EngineSettings`.
public struct LaunchAcceleration: Equatable, Sendable {
    /// `prune_plan` or `drop_layers` (at most one).
    public var layerPruning: LayerPruning = .none
    /// `visual_tokens`: keep K visual tokens (task-aware selection); nil keeps all.
    public var visualTokens: Int?
    /// `selection_layer`: position among the layers that run after which tokens are selected; nil
    /// uses the engine's default (1, "the 2nd layer").
    public var selectionLayer: Int?
    /// `cache_interval`: recompute diffusion features every N steps; nil or 1 disables caching.
    public var cacheInterval: Int?
    /// `temporal_reuse`: reuse across camera frames (nil: off); checked against the model at load.
    public var temporalReuse: TemporalReuseSettings?
}

/// `node.control`.
public struct ControlSettings: Equatable, Sendable {
    /// `rate_hz`: control ticks per second (default 5).
    public var rateHz: Double
    /// `chunk_policy`: `chunking` (the default); `ensemble` with `ensemble: {alpha, horizon}`
    /// (defaults 0.1 and 2, CogACT's Google-robot setting); or `aggregate` with
    /// `aggregate: {function: weighted_average | latest_only | average, new_weight}` (default
    /// weighted_average with new_weight 0.7, LeRobot's); or `rtc` (real-time chunking).
    public var policy: ChunkPolicy
}

/// `node.stats`.
public struct StatsSettings: Equatable, Sendable {
    /// `interval_s`: seconds between summary log lines (default 10).
    public var intervalSeconds: Double = 10
    /// `window`: latency samples kept for the percentiles (default 200).
    public var window: Int = 200
    /// `warmup_inferences`: first inferences left out of the percentiles (default 1).
    public var warmUpInferences: Int = 1

    /// `interval_s` in nanoseconds, at least 1; an interval beyond the 64-bit range (~585 years) is
    /// `UInt64.max`, i.e. never.
    public var intervalNanoseconds: UInt64 {
        let nanoseconds = (intervalSeconds * 1e9).rounded()
        guard nanoseconds < 0x1p64 else { return .max }
        return max(1, UInt64(max(0, nanoseconds)))
    }
}

/// MCAP chunk compression.
public enum RecordCompression: String, Equatable, Sendable, CaseIterable {
    /// Uncompressed chunks.
    case none
    /// Zstandard chunks.
    case zstd
    /// LZ4 frame chunks.
    case lz4
}

/// `node.record`.
public struct RecordSettings: Equatable, Sendable {
    /// `path`: the MCAP file to write.
    public var path: String
    /// `compression`: none, zstd (default) or lz4.
    public var compression: RecordCompression
    /// `queue_mb`: the recorder queue's bound in bytes (`queue_mb` MiB; default 256 MiB). Messages that
    /// do not fit while the writer catches up are dropped and counted.
    public var queueBytes: Int = RecordSettings.defaultQueueBytes

    /// 256 MiB: seven 36 MB (4000×3000 rgb8) frames, or about 3 s of 640×480 rgb8 at 100 Hz.
    public static let defaultQueueBytes = 256 << 20
}
