import Messages

/// The channel metadata keys rosbag2_storage_mcap writes on every ROS 2 channel.
public enum ROS2ChannelMetadata {
    /// The publishers' QoS profiles, as rosbag2's YAML (`ROS2QoSProfile.yaml`).
    public static let offeredQoSProfiles = "offered_qos_profiles"
    /// The type's ROS 2 type hash, `RIHS01_<64 hex>` (REP 2011).
    public static let topicTypeHash = "topic_type_hash"

    /// The metadata of a channel carrying `typeName` whose publishers offered `qos`.
    /// - Throws: `TypeHashError` when `schemaText` cannot be hashed.
    public static func metadata(typeName: String, schemaText: String, qos: [ROS2QoSProfile]) throws -> [String: String] {
        [offeredQoSProfiles: ROS2QoSProfile.yaml(qos),
         topicTypeHash: try ROS2TypeHash.rihs01(typeName: typeName, schemaText: schemaText)]
    }
}
