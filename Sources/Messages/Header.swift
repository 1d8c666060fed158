/// `std_msgs/msg/Header`: a stamp and a coordinate frame.
public struct Header: ROSMessage, Hashable {
    /// `std_msgs/msg/Header`
    public static let typeName = "std_msgs/msg/Header"
    /// Text of `msgs/std_msgs/msg/Header.msg`.
    public static let definition = #"""
# Standard metadata for higher-level stamped data types.

# Two-integer timestamp that is expressed as seconds and nanoseconds.
builtin_interfaces/Time stamp

# Transform frame with which this data is associated.
string frame_id

"""#
    /// `builtin_interfaces/Time`.
    public static let dependencies: [any ROSMessage.Type] = [Time.self]

    /// When the data was acquired or produced.
    public var stamp: Time
    /// The coordinate frame the data is expressed in.
    public var frameId: String

    /// A header from its two fields.
    public init(stamp: Time = Time(), frameId: String = "") {
        self.stamp = stamp
        self.frameId = frameId
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(stamp: Time())
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.stamp),
        .field(\.frameId),
    ]
}
