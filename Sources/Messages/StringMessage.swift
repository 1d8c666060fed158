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

    /// Writes the fields in `.msg` order.
    public func encode(to writer: inout CDRWriter) {
        writer.write(data)
    }

    /// Reads the fields in `.msg` order.
    public init(from reader: inout CDRReader) throws {
        data = try reader.readString()
    }
}
