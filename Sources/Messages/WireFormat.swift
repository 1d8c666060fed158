/// The ZeroMQ wire convention of msgs/README.md: every message is two frames, `[topic UTF-8, CDR]`,
/// and receivers match the topic frame exactly (ZeroMQ subscriptions match prefixes only).
public enum WireFormat {
    /// Why received frames could not be taken as a message of the expected topic and type.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The message did not have exactly the two frames `[topic, payload]`.
        case wrongFrameCount(topic: String, count: Int)
        /// The payload is not a valid CDR message of the topic's type.
        case malformedPayload(topic: String, typeName: String, CDRError)

        /// A message that names the topic and what is wrong.
        public var description: String {
            switch self {
            case .wrongFrameCount(let topic, let count):
                return "message on \(topic) has \(count) frames; expected 2 ([topic, CDR payload])"
            case .malformedPayload(let topic, let typeName, let error):
                return "payload on \(topic) is not a valid \(typeName): \(error)"
            }
        }
    }

    /// The two frames that carry `message` on `topic`.
    public static func frames<M: ROSMessage>(topic: String, message: M) -> [[UInt8]] {
        [Array(topic.utf8), message.cdrBytes()]
    }

    /// True when the first frame is exactly `topic` (not merely a prefix match).
    public static func matches(_ frames: [[UInt8]], topic: String) -> Bool {
        guard let first = frames.first else { return false }
        return first.elementsEqual(topic.utf8)
    }

    /// The message on `topic`, or nil when the frames belong to another topic. Throws when the
    /// frames are for `topic` but break the convention or do not decode as `M`.
    public static func decode<M: ROSMessage>(_ frames: [[UInt8]], topic: String, as type: M.Type = M.self) throws -> M? {
        guard matches(frames, topic: topic) else { return nil }
        guard frames.count == 2 else { throw Error.wrongFrameCount(topic: topic, count: frames.count) }
        do {
            return try M(cdrBytes: frames[1])
        } catch let error as CDRError {
            throw Error.malformedPayload(topic: topic, typeName: M.typeName, error)
        }
    }
}
