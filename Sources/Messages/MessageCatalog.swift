/// Every message type this package defines, for lookups by ROS 2 type name.
public enum MessageCatalog {
    /// All types, dependencies first.
    public static let all: [any ROSMessage.Type] = [
        Time.self, Header.self, StringMessage.self, EmptyMessage.self, Image.self, CompressedImage.self,
        ActionChunk.self, InferenceLatency.self,
    ]

    /// The type named `typeName` (e.g. `sensor_msgs/msg/Image`), or nil if unknown.
    public static func type(named typeName: String) -> (any ROSMessage.Type)? {
        all.first { $0.typeName == typeName }
    }
}
