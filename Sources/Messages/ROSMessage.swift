import Foundation

/// A ROS 2 message type whose definition lives in `msgs/<package>/msg/<Type>.msg`.
public protocol ROSMessage: Equatable, Sendable, Codable {
    /// The full ROS 2 type name, e.g. `sensor_msgs/msg/Image`.
    static var typeName: String { get }
    /// The `.msg` text, byte for byte as in `msgs/`.
    static var definition: String { get }
    /// The message types this definition names directly (not transitively).
    static var dependencies: [any ROSMessage.Type] { get }
    /// The fields in `.msg` declaration order; they drive both `encode(to:)` and `init(from:)`.
    static var cdrFields: [CDRField<Self>] { get }
    /// The message with every field zero or empty, which decoding fills in.
    init()
    /// Throws `CDRError.invalidValue` when the fields break an invariant of the type; decoding calls it.
    func validate() throws
}

extension ROSMessage {
    /// No invariants beyond the field types.
    public func validate() throws {}

    /// Appends the fields in declaration order.
    public func encode(to writer: inout CDRWriter) {
        for field in Self.cdrFields { field.encode(self, &writer) }
    }

    /// Reads the fields in declaration order, then `validate()`s them.
    public init(from reader: inout CDRReader) throws {
        self.init()
        for field in Self.cdrFields { try field.decode(&self, &reader) }
        try validate()
    }

    /// The serialized message: encapsulation header plus CDR payload.
    public func cdrBytes() -> [UInt8] {
        var writer = CDRWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a whole serialized message (header, payload, at most 3 padding bytes).
    public init(cdrBytes bytes: [UInt8]) throws {
        var reader = try CDRReader(bytes)
        self = try Self(from: &reader)
        try reader.finish()
    }

    /// The type name as dependencies are written inside a schema: `pkg/Type` (no `/msg/`).
    public static var shortTypeName: String {
        typeName.replacingOccurrences(of: "/msg/", with: "/")
    }

    /// The `ros2msg` schema text: this definition, then each transitive dependency once (depth-first,
    /// first use first), each preceded by a line of 80 `=` and a `MSG: pkg/Type` line, as ROS 2 tooling writes it.
    public static var schemaText: String {
        var seen: Set<String> = [typeName]
        var text = definition
        appendDependencies(of: self, to: &text, seen: &seen)
        return text
    }
}

/// The line of 80 `=` that separates definitions in a `ros2msg` schema.
public let ros2msgSeparator = String(repeating: "=", count: 80)

private func appendDependencies(of type: any ROSMessage.Type, to text: inout String, seen: inout Set<String>) {
    for dependency in type.dependencies where !seen.contains(dependency.typeName) {
        seen.insert(dependency.typeName)
        if !text.hasSuffix("\n") { text += "\n" }
        text += "\(ros2msgSeparator)\nMSG: \(dependency.shortTypeName)\n\(dependency.definition)"
        appendDependencies(of: dependency, to: &text, seen: &seen)
    }
}
