/// `std_msgs/msg/Empty`: a message without fields (the node's episode-reset topic).
///
/// ROS 2 gives every empty structure one `uint8` member, `structure_needs_at_least_one_member`, so the
/// serialized message is the encapsulation header and one zero byte (`00 01 00 00 00`, as rclcpp and
/// rosbags write it). The member is not part of the `.msg` text; its value is ignored when decoding.
public struct EmptyMessage: ROSMessage, Hashable {
    /// `std_msgs/msg/Empty`
    public static let typeName = "std_msgs/msg/Empty"
    /// Text of `msgs/std_msgs/msg/Empty.msg` (empty).
    public static let definition = ""
    /// None.
    public static let dependencies: [any ROSMessage.Type] = []

    /// The wire's placeholder member.
    private var structureNeedsAtLeastOneMember: UInt8 = 0

    /// The message.
    public init() {}

    /// Equal whatever the placeholder byte held: the message has no fields.
    public static func == (lhs: EmptyMessage, rhs: EmptyMessage) -> Bool { true }

    /// Hashes nothing, consistent with `==`.
    public func hash(into hasher: inout Hasher) {}

    /// The placeholder member only.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.structureNeedsAtLeastOneMember),
    ]
}
