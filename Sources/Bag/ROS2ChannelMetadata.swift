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

    /// `metadata` with a `topic_type_hash` computed from `schema` when it has none (a bag written
    /// before hashes were recorded) and `schema` is a `ros2msg` schema; unchanged otherwise, and
    /// when the schema cannot be hashed (rosbag2 allows an empty hash).
    public static func addingTypeHash(to metadata: [String: String], schema: MCAPSchema?) -> [String: String] {
        guard metadata[topicTypeHash, default: ""].isEmpty, let schema, schema.encoding == "ros2msg",
              let hash = try? ROS2TypeHash.rihs01(typeName: schema.name, schemaText: String(decoding: schema.data, as: UTF8.self))
        else { return metadata }
        return metadata.merging([topicTypeHash: hash]) { _, new in new }
    }
}
