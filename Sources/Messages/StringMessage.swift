/// `std_msgs/msg/String`: one string (used for the instruction topic).
public struct StringMessage: ROSMessage, Hashable {
    /// `std_msgs/msg/String`
    public static let typeName = "std_msgs/msg/String"
    /// Text of `msgs/std_msgs/msg/String.msg`.
    public static let definition = #"""
# A single string.

string data

"""#
    /// None: only primitives.
    public static let dependencies: [any ROSMessage.Type] = []

    /// The text.
    public var data: String

    /// A message holding `data`.
    public init(data: String = "") {
        self.data = data
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(data: "")
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.data),
    ]
}
