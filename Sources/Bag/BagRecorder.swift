import Messages

/// Records `[topic, CDR payload]` messages (the ZeroMQ wire convention of msgs/README.md) into a bag:
/// topics match exactly, payloads must decode as the topic's declared type, and anything else is
/// counted as dropped instead of poisoning the bag. Not thread-safe: use it from one thread.
public final class BagRecorder {
    /// What happened to one received message.
    public enum Outcome: Equatable, Sendable {
        /// Written to the bag.
        case recorded
        /// The topic frame is not one of the recorded topics (ZeroMQ delivers prefix matches too).
        case ignoredTopic(String)
        /// The message does not follow the wire convention or does not decode as the topic's type.
        case malformed(reason: String)
    }

    private struct Channel {
        let id: UInt16
        let type: any ROSMessage.Type
        var sequence: UInt32 = 0
    }

    private let writer: MCAPWriter
    private var channels: [[UInt8]: Channel] = [:]
    /// Messages written per topic.
    public private(set) var recordedCounts: [String: UInt64] = [:]
    /// Messages dropped as malformed.
    public private(set) var malformedCount: UInt64 = 0

    /// Registers one ROS 2 channel per topic on `writer`, offered with the QoS profiles in `qos`
    /// (`ROS2QoSProfile.discoveredDefaultPublisher` for topics it does not list: a ZeroMQ publisher's
    /// QoS is unknown).
    public init(writer: MCAPWriter, topics: [String: any ROSMessage.Type],
                qos: [String: [ROS2QoSProfile]] = [:]) throws {
        self.writer = writer
        for (topic, type) in topics.sorted(by: { $0.key < $1.key }) {
            let id = try writer.addROS2Channel(typeName: type.typeName, schemaText: type.schemaText, topic: topic,
                                               qos: qos[topic] ?? [.discoveredDefaultPublisher])
            channels[Array(topic.utf8)] = Channel(id: id, type: type)
            recordedCounts[topic] = 0
        }
    }

    /// Records one received message, stamped with `receiveTime` (ns since the epoch) as both log and
    /// publish time. Throws only when the bag cannot be written.
    @discardableResult
    public func record(frames: [[UInt8]], receiveTime: UInt64) throws -> Outcome {
        guard let topicFrame = frames.first else { return drop("empty message") }
        guard var channel = channels[topicFrame] else {
            return .ignoredTopic(String(decoding: topicFrame, as: UTF8.self))
        }
        let topic = String(decoding: topicFrame, as: UTF8.self)
        guard frames.count == 2 else { return drop("\(topic): \(frames.count) frames, expected [topic, payload]") }
        do {
            try Self.validate(channel.type, frames[1])
        } catch {
            return drop("\(topic): \(error)")
        }
        try writer.write(channelID: channel.id, sequence: channel.sequence, logTime: receiveTime,
                         publishTime: receiveTime, data: frames[1])
        channel.sequence &+= 1
        channels[topicFrame] = channel
        recordedCounts[topic, default: 0] += 1
        return .recorded
    }

    private func drop(_ reason: String) -> Outcome {
        malformedCount += 1
        return .malformed(reason: reason)
    }

    private static func validate<M: ROSMessage>(_ type: M.Type, _ payload: [UInt8]) throws {
        _ = try M(cdrBytes: payload)
    }

    /// Writes the open chunk now, so at most the messages since the last call are lost on a crash.
    public func flush() throws {
        try writer.closeChunk()
    }

    /// Writes a Metadata record (e.g. what the recording dropped) into the bag.
    public func writeMetadata(_ metadata: MCAPMetadata) throws {
        try writer.addMetadata(metadata)
    }

    /// Finishes the bag (summary, footer); the recorder cannot be used afterwards.
    public func finish() throws {
        try writer.finish()
    }
}
