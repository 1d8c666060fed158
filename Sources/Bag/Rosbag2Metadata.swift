import Foundation

/// The `rosbag2` Metadata record rosbag2_storage_mcap (ROS 2 Jazzy) writes when it closes a bag: one
/// key, `serialized_metadata`, holding what `metadata.yaml` would hold under
/// `rosbag2_bagfile_information` (BagMetadata version 9), so `ros2 bag info`, `ros2 bag reindex`
/// and the MCAP storage plugin know the topics, counts and time span without a metadata.yaml.
public struct Rosbag2Metadata: Equatable, Sendable {
    /// One topic of the bag.
    public struct Topic: Equatable, Sendable {
        /// Topic name.
        public var name: String
        /// ROS 2 type name (`pkg/msg/Type`).
        public var type: String
        /// Message encoding (`cdr`).
        public var serializationFormat: String
        /// The channel's `offered_qos_profiles` YAML (a block sequence, or `[]`).
        public var offeredQoSProfiles: String
        /// The channel's `topic_type_hash` (`RIHS01_…`, or empty when unknown).
        public var typeDescriptionHash: String
        /// Messages on the topic.
        public var messageCount: UInt64
    }

    /// The Metadata record's name.
    public static let recordName = "rosbag2"
    /// The record's only key.
    public static let key = "serialized_metadata"
    /// The BagMetadata version rosbag2 Jazzy writes (QoS policies by name, `ros_distro` inside).
    public static let version = 9
    /// `starting_time` of a bag without messages, as rosbag2 writes it (the largest int64).
    static let noStartTime: UInt64 = 9_223_372_036_854_775_807

    /// Topics, sorted by name.
    public var topics: [Topic]
    /// Messages in the bag.
    public var messageCount: UInt64
    /// Earliest and latest log time (ns), nil without messages.
    public var timeSpan: ClosedRange<UInt64>?
    /// The bag file's name (`relative_file_paths`, `files`), nil when the bag is not a named file.
    public var fileName: String?
    /// `ros_distro`.
    public var rosDistro: String

    /// The metadata of a bag with these channels, schemas and statistics.
    public init(channels: [MCAPChannel], schemas: [MCAPSchema], statistics: MCAPStatistics,
                fileName: String?, rosDistro: String) {
        topics = channels.map { channel in
            Topic(name: channel.topic, type: schemas.first { $0.id == channel.schemaID }?.name ?? "",
                  serializationFormat: channel.messageEncoding,
                  offeredQoSProfiles: channel.metadata[ROS2ChannelMetadata.offeredQoSProfiles] ?? "[]",
                  typeDescriptionHash: channel.metadata[ROS2ChannelMetadata.topicTypeHash] ?? "",
                  messageCount: statistics.channelMessageCounts[channel.id] ?? 0)
        }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        messageCount = statistics.messageCount
        timeSpan = statistics.messageCount == 0 ? nil
            : statistics.messageStartTime...max(statistics.messageStartTime, statistics.messageEndTime)
        self.fileName = fileName
        self.rosDistro = rosDistro
    }

    /// The `serialized_metadata` text, laid out as yaml-cpp emits it (2-space indents, no trailing newline).
    public var serializedMetadata: String {
        let start = timeSpan?.lowerBound ?? Self.noStartTime
        let duration = timeSpan.map { $0.upperBound - $0.lowerBound } ?? 0
        var lines = ["version: \(Self.version)", "storage_identifier: mcap",
                     "duration:", "  nanoseconds: \(duration)",
                     "starting_time:", "  nanoseconds_since_epoch: \(start)",
                     "message_count: \(messageCount)", "topics_with_message_count:"]
        if topics.isEmpty { lines.append("  []") }
        for topic in topics {
            lines += ["  - topic_metadata:",
                      "      name: \(YAMLScalar.string(topic.name))",
                      "      type: \(YAMLScalar.string(topic.type))",
                      "      serialization_format: \(YAMLScalar.string(topic.serializationFormat))",
                      "      offered_qos_profiles:"]
            lines += topic.offeredQoSProfiles.split(separator: "\n").map { "        " + $0 }
            lines += ["      type_description_hash: \(YAMLScalar.string(topic.typeDescriptionHash))",
                      "    message_count: \(topic.messageCount)"]
        }
        lines += ["compression_format: \"\"", "compression_mode: \"\""]
        if let fileName {
            lines += ["relative_file_paths:", "  - \(YAMLScalar.string(fileName))",
                      "files:", "  - path: \(YAMLScalar.string(fileName))",
                      "    starting_time:", "      nanoseconds_since_epoch: \(start)",
                      "    duration:", "      nanoseconds: \(duration)",
                      "    message_count: \(messageCount)"]
        } else {
            lines += ["relative_file_paths:", "  []", "files:", "  []"]
        }
        lines += ["custom_data: ~", "ros_distro: \(YAMLScalar.string(rosDistro))"]
        return lines.joined(separator: "\n")
    }

    /// The Metadata record.
    public var record: MCAPMetadata {
        MCAPMetadata(name: Self.recordName, metadata: [Self.key: serializedMetadata])
    }

    /// The `ros_distro` of a `rosbag2` record (the key rosbag2 Jazzy writes inside
    /// `serialized_metadata`, or the separate `ROS_DISTRO` key of older writers); nil when absent.
    public static func rosDistro(of record: MCAPMetadata) -> String? {
        guard record.name == recordName else { return nil }
        let prefix = "ros_distro:"
        let line = record.metadata[key]?.split(separator: "\n").first { $0.hasPrefix(prefix) }
        if let value = line?.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) {
            let unquoted = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
                ? String(value.dropFirst().dropLast()) : value
            if !unquoted.isEmpty && unquoted != "~" { return unquoted }
        }
        return record.metadata["ROS_DISTRO"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
