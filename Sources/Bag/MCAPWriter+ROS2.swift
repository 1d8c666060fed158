import Messages

extension MCAPWriter {
    /// The `offered_qos_profiles` metadata of every ROS 2 channel: an empty YAML sequence, which rosbags
    /// writes and `ros2 bag play` reads as "use the default QoS".
    public static let defaultQoSProfiles = "[]"

    /// Registers `topic` carrying `M` as a ROS 2 channel: schema `M.typeName` with encoding `ros2msg`
    /// and the full dependency text, message encoding `cdr`, and `offered_qos_profiles` metadata.
    public func addROS2Channel<M: ROSMessage>(_ type: M.Type, topic: String) throws -> UInt16 {
        try addROS2Channel(typeName: M.typeName, schemaText: M.schemaText, topic: topic)
    }

    /// Registers a ROS 2 channel for a type known only by name and `ros2msg` schema text.
    public func addROS2Channel(typeName: String, schemaText: String, topic: String) throws -> UInt16 {
        let schemaID = try addSchema(name: typeName, encoding: "ros2msg", data: Array(schemaText.utf8))
        return try addChannel(topic: topic, schemaID: schemaID, messageEncoding: "cdr",
                              metadata: ["offered_qos_profiles": MCAPWriter.defaultQoSProfiles])
    }

    /// Serializes `message` to CDR and adds it; `publishTime` defaults to `logTime`.
    public func write<M: ROSMessage>(_ message: M, channelID: UInt16, sequence: UInt32 = 0,
                                     logTime: UInt64, publishTime: UInt64? = nil) throws {
        try write(channelID: channelID, sequence: sequence, logTime: logTime,
                  publishTime: publishTime ?? logTime, data: message.cdrBytes())
    }
}
