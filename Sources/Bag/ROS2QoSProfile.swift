/// A ROS 2 QoS profile as rosbag2 stores it in a topic's `offered_qos_profiles` (the profile a
/// recorded publisher offered; `ros2 bag play` offers it again, with its own history depth).
public struct ROS2QoSProfile: Equatable, Sendable {
    /// History policy; a profile discovered from a remote publisher has `unknown` (DDS does not
    /// announce it).
    public enum History: String, Sendable { case systemDefault = "system_default", keepLast = "keep_last", keepAll = "keep_all", unknown }
    /// Reliability policy.
    public enum Reliability: String, Sendable { case systemDefault = "system_default", reliable, bestEffort = "best_effort", unknown, bestAvailable = "best_available" }
    /// Durability policy.
    public enum Durability: String, Sendable { case systemDefault = "system_default", transientLocal = "transient_local", volatile, unknown, bestAvailable = "best_available" }
    /// Liveliness policy.
    public enum Liveliness: String, Sendable { case systemDefault = "system_default", automatic, manualByTopic = "manual_by_topic", unknown, bestAvailable = "best_available" }

    /// An `rmw_time_t`: seconds and nanoseconds.
    public struct Duration: Equatable, Sendable {
        /// Whole seconds.
        public var sec: UInt64
        /// Nanoseconds past `sec`.
        public var nsec: UInt64
        /// `RMW_DURATION_INFINITE` as rosbag2 writes it: `INT64_MAX` nanoseconds split into seconds
        /// and nanoseconds.
        public static let infinite = Duration(sec: 9_223_372_036, nsec: 854_775_807)
        /// A duration from its two parts.
        public init(sec: UInt64, nsec: UInt64) {
            self.sec = sec
            self.nsec = nsec
        }
    }

    /// History policy.
    public var history: History
    /// Queue depth for `keepLast` (0 when unknown).
    public var depth: Int
    /// Reliability policy.
    public var reliability: Reliability
    /// Durability policy.
    public var durability: Durability
    /// Longest expected gap between messages.
    public var deadline: Duration
    /// How long a message stays valid.
    public var lifespan: Duration
    /// Liveliness policy.
    public var liveliness: Liveliness
    /// How long a publisher may go without asserting liveliness.
    public var livelinessLeaseDuration: Duration
    /// Whether topic names skip the ROS namespace conventions.
    public var avoidROSNamespaceConventions: Bool

    /// A profile from every policy; durations default to infinite, liveliness to automatic.
    public init(history: History, depth: Int, reliability: Reliability, durability: Durability,
                deadline: Duration = .infinite, lifespan: Duration = .infinite, liveliness: Liveliness = .automatic,
                livelinessLeaseDuration: Duration = .infinite, avoidROSNamespaceConventions: Bool = false) {
        self.history = history
        self.depth = depth
        self.reliability = reliability
        self.durability = durability
        self.deadline = deadline
        self.lifespan = lifespan
        self.liveliness = liveliness
        self.livelinessLeaseDuration = livelinessLeaseDuration
        self.avoidROSNamespaceConventions = avoidROSNamespaceConventions
    }

    /// What `ros2 bag record` (Jazzy) stores for a publisher with the default `rclcpp::QoS(10)`, as
    /// discovered over DDS: history unknown with depth 0, reliable, volatile, infinite deadline,
    /// lifespan and lease, automatic liveliness. The node records its ZeroMQ inputs with it: their
    /// publishers' QoS is unknown, and this offer replays to default (reliable) subscribers.
    public static let discoveredDefaultPublisher = ROS2QoSProfile(
        history: .unknown, depth: 0, reliability: .reliable, durability: .volatile)

    /// The node's instruction input: it holds the latest instruction until the next one, which ROS 2
    /// expresses as keep-last 1, reliable, transient-local. A transient-local offer also serves a
    /// subscriber that starts after playback began, and matches volatile and transient-local
    /// subscribers alike (the README's bridge subscribes transient-local).
    public static let latchedInstruction = ROS2QoSProfile(
        history: .keepLast, depth: 1, reliability: .reliable, durability: .transientLocal)

    /// What the node offers on its outputs (action chunks, latency): keep the last 10, reliable,
    /// volatile (a ZeroMQ PUB queues per subscriber and gives late joiners nothing; reliable keeps
    /// the replay compatible with default subscribers), infinite deadline, lifespan and lease.
    public static let nodeOutput = ROS2QoSProfile(
        history: .keepLast, depth: 10, reliability: .reliable, durability: .volatile)

    /// rosbag2's YAML of a profile list (metadata version 9: policies by name), block style with
    /// the items at column `indent`; `[]` for no profiles. No trailing newline.
    public static func yaml(_ profiles: [ROS2QoSProfile], indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        guard !profiles.isEmpty else { return pad + "[]" }
        return profiles.map { $0.yamlLines.enumerated().map { pad + ($0.offset == 0 ? "- " : "  ") + $0.element } }
            .flatMap { $0 }.joined(separator: "\n")
    }

    /// The mapping lines of this profile, in rosbag2's key order.
    private var yamlLines: [String] {
        func duration(_ key: String, _ value: Duration) -> [String] {
            ["\(key):", "  sec: \(value.sec)", "  nsec: \(value.nsec)"]
        }
        return ["history: \(history.rawValue)", "depth: \(depth)", "reliability: \(reliability.rawValue)",
                "durability: \(durability.rawValue)"]
            + duration("deadline", deadline) + duration("lifespan", lifespan)
            + ["liveliness: \(liveliness.rawValue)"] + duration("liveliness_lease_duration", livelinessLeaseDuration)
            + ["avoid_ros_namespace_conventions: \(avoidROSNamespaceConventions)"]
    }
}
