import Messages

extension MCAPWriter {
    /// Registers `topic` carrying `M` as a ROS 2 channel: schema `M.typeName` with encoding `ros2msg`
    /// and the full dependency text, message encoding `cdr`, and rosbag2's channel metadata
    /// (`offered_qos_profiles` from `qos`, `topic_type_hash`).
    public func addROS2Channel<M: ROSMessage>(_ type: M.Type, topic: String,
                                              qos: [ROS2QoSProfile] = [.discoveredDefaultPublisher]) throws -> UInt16 {
        try addROS2Channel(typeName: M.typeName, schemaText: M.schemaText, topic: topic, qos: qos)
    }

    /// Registers a ROS 2 channel for a type known only by name and `ros2msg` schema text.
    /// - Throws: `TypeHashError` when the schema text cannot be hashed, `MCAPError` when the
    ///   writer is finished.
    public func addROS2Channel(typeName: String, schemaText: String, topic: String,
                               qos: [ROS2QoSProfile] = [.discoveredDefaultPublisher]) throws -> UInt16 {
        let metadata = try ROS2ChannelMetadata.metadata(typeName: typeName, schemaText: schemaText, qos: qos)
        let schemaID = try addSchema(name: typeName, encoding: "ros2msg", data: Array(schemaText.utf8))
        return try addChannel(topic: topic, schemaID: schemaID, messageEncoding: "cdr", metadata: metadata)
    }

    /// Serializes `message` to CDR and adds it; `publishTime` defaults to `logTime`.
    public func write<M: ROSMessage>(_ message: M, channelID: UInt16, sequence: UInt32 = 0,
                                     logTime: UInt64, publishTime: UInt64? = nil) throws {
        try write(channelID: channelID, sequence: sequence, logTime: logTime,
                  publishTime: publishTime ?? logTime, data: message.cdrBytes())
    }
}
