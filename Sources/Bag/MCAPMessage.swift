/// A message read from a bag, with the channel and schema it was recorded on.
public struct MCAPMessage: Equatable, Sendable {
    /// The channel (topic, encoding, metadata).
    public let channel: MCAPChannel
    /// The schema of the channel, or nil for schemaless channels (schema id 0).
    public let schema: MCAPSchema?
    /// The writer's per-channel sequence number.
    public let sequence: UInt32
    /// When the message was recorded (ns).
    public let logTime: UInt64
    /// When the message was published (ns).
    public let publishTime: UInt64
    /// The payload (for ROS 2: CDR with its encapsulation header).
    public let data: [UInt8]

    /// The channel's topic.
    public var topic: String { channel.topic }
}

/// Schema and Channel records seen so far, used to resolve Message records.
struct ChannelRegistry {
    private(set) var schemas: [UInt16: MCAPSchema] = [:]
    private(set) var channels: [UInt16: MCAPChannel] = [:]

    mutating func add(_ schema: MCAPSchema) { schemas[schema.id] = schema }
    mutating func add(_ channel: MCAPChannel) { channels[channel.id] = channel }

    /// The message with its channel and schema, or a typed error when either is unknown.
    func resolve(_ record: MCAPMessageRecord, offset: UInt64) throws -> MCAPMessage {
        guard let channel = channels[record.channelID] else {
            throw MCAPError.unknownChannel(id: record.channelID, offset: offset)
        }
        let schema = channel.schemaID == 0 ? nil : schemas[channel.schemaID]
        guard channel.schemaID == 0 || schema != nil else { throw MCAPError.unknownSchema(id: channel.schemaID) }
        return MCAPMessage(channel: channel, schema: schema, sequence: record.sequence, logTime: record.logTime,
                           publishTime: record.publishTime, data: record.data)
    }
}
