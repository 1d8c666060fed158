import Foundation

/// One field of a `.msg` definition, as `rosidl` sees it for type descriptions.
struct MsgField: Equatable {
    /// How the field repeats its element type.
    enum Container: Equatable {
        /// A single value, e.g. `uint32 height`.
        case single
        /// A fixed-size array, e.g. `float64[9] k`.
        case array(Int)
        /// A sequence of at most N elements, e.g. `int32[<=3] values`.
        case boundedSequence(Int)
        /// A sequence of any length, e.g. `uint8[] data`.
        case unboundedSequence
    }

    /// The element type: a primitive (`uint8`, `string`, `string<=8`, …) or a message type in
    /// `pkg/msg/Type` form.
    var elementType: String
    var container: Container
    var name: String
}

/// Parses the fields of a `.msg` definition: comments, blank lines and constants (`TYPE NAME=VALUE`)
/// are skipped, default values (`TYPE NAME VALUE`) are ignored (they do not enter the type hash).
enum MsgFieldParser {
    /// The primitive type names of the `.msg` language, besides bounded strings.
    static let primitives: Set<String> = [
        "bool", "byte", "char", "float32", "float64", "int8", "uint8", "int16", "uint16",
        "int32", "uint32", "int64", "uint64", "string", "wstring",
    ]

    /// The fields of `definition`, the `.msg` text of `typeName` (`pkg/msg/Type`).
    static func fields(of definition: String, typeName: String) throws -> [MsgField] {
        let package = String(typeName.prefix { $0 != "/" })
        var fields: [MsgField] = []
        for rawLine in definition.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard parts.count == 2 else { throw TypeHashError.malformedLine(typeName: typeName, line: line) }
            let rest = parts[1].trimmingCharacters(in: .whitespaces)
            let name = String(rest.prefix { $0 != " " && $0 != "\t" && $0 != "=" })
            guard !name.isEmpty else { throw TypeHashError.malformedLine(typeName: typeName, line: line) }
            if rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") { continue }
            let (element, container) = try split(parts[0], typeName: typeName, line: line)
            fields.append(MsgField(elementType: resolve(element, package: package), container: container, name: name))
        }
        return fields
    }

    /// `uint8[<=4]` → (`uint8`, bounded 4).
    private static func split(_ type: String, typeName: String, line: String) throws -> (String, MsgField.Container) {
        guard let open = type.firstIndex(of: "[") else { return (type, .single) }
        guard type.hasSuffix("]") else { throw TypeHashError.malformedLine(typeName: typeName, line: line) }
        let element = String(type[..<open])
        let inside = type[type.index(after: open)..<type.index(before: type.endIndex)]
        if inside.isEmpty { return (element, .unboundedSequence) }
        if inside.hasPrefix("<="), let bound = Int(inside.dropFirst(2)) { return (element, .boundedSequence(bound)) }
        if let size = Int(inside) { return (element, .array(size)) }
        throw TypeHashError.malformedLine(typeName: typeName, line: line)
    }

    /// Message types as `pkg/msg/Type`: `pkg/Type` gains `/msg/`, a bare `Type` is in `package`.
    private static func resolve(_ element: String, package: String) -> String {
        if primitives.contains(element) || element.hasPrefix("string<=") || element.hasPrefix("wstring<=") {
            return element
        }
        let parts = element.split(separator: "/")
        switch parts.count {
        case 1: return "\(package)/msg/\(element)"
        case 2: return "\(parts[0])/msg/\(parts[1])"
        default: return element
        }
    }
}
