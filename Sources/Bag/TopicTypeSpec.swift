import Messages

/// Parses the `TOPIC[=TYPE]` arguments of `vla-node record`: the type is a ROS 2 type name from
/// msgs/ (e.g. `sensor_msgs/msg/Image`), or is inferred for the node's default topics.
public enum TopicTypeSpec {
    /// Why a topic argument was rejected.
    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        /// A message telling the user what to write instead.
        public let description: String
    }

    /// Types of the node's default topics (launch-file defaults), used when no `=TYPE` is given.
    public static let defaultTypes: [String: any ROSMessage.Type] = [
        "/camera/image_raw": Image.self,
        "/camera/image_raw/compressed": CompressedImage.self,
        "/instruction": StringMessage.self,
        "/vla/action_chunk": ActionChunk.self,
        "/vla/latency": InferenceLatency.self,
    ]

    /// The topic and its message type for one argument.
    public static func parse(_ argument: String) throws -> (topic: String, type: any ROSMessage.Type) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let topic = parts[0]
        guard topic.hasPrefix("/"), topic.count > 1 else {
            throw Error(description: "topic \"\(topic)\" must start with \"/\", e.g. /camera/image_raw")
        }
        let known = MessageCatalog.all.map { $0.typeName }.joined(separator: ", ")
        if parts.count == 2 {
            guard let type = MessageCatalog.type(named: parts[1]) else {
                throw Error(description: "unknown message type \"\(parts[1])\" for \(topic); known types: \(known)")
            }
            return (topic, type)
        }
        if let type = defaultTypes[topic] ?? (topic.hasSuffix("/compressed") ? CompressedImage.self : nil) {
            return (topic, type)
        }
        throw Error(description: "no default type for \(topic): write \(topic)=TYPE with one of: \(known)")
    }
}
