import Foundation
import Digest

/// The ROS 2 type hash (REP 2011, "RIHS01") of a message type, as `rosidl_generator_type_description`
/// computes it: SHA-256 over a JSON text of the type's description and of every type it references
/// (directly or not, sorted by name). Each field is described by name, a `FieldType` id, the array
/// or sequence capacity, the string capacity and the nested type name; default values are left out.
public enum ROS2TypeHash {
    /// The `RIHS01_<64 hex>` hash of `typeName` (`pkg/msg/Type`) from its `ros2msg` schema text: the
    /// type's `.msg` text, then each referenced type after a line of 80 `=` and a `MSG: pkg/Type` line.
    public static func rihs01(typeName: String, schemaText: String) throws -> String {
        let definitions = try sections(of: schemaText, typeName: typeName)
        var descriptions: [String: [MsgField]] = [:]
        var pending = [typeName]
        while let name = pending.popLast() {
            guard descriptions[name] == nil else { continue }
            guard let definition = definitions[name] else {
                let user = descriptions.first { $0.value.contains { $0.elementType == name } }?.key ?? typeName
                throw TypeHashError.missingDefinition(typeName: name, referencedBy: user)
            }
            var fields = try MsgFieldParser.fields(of: definition, typeName: name)
            // rosidl gives a message without fields one placeholder member.
            if fields.isEmpty {
                fields = [MsgField(elementType: "uint8", container: .single, name: "structure_needs_at_least_one_member")]
            }
            descriptions[name] = fields
            pending += fields.map(\.elementType).filter { $0.contains("/") }
        }
        let referenced = descriptions.keys.filter { $0 != typeName }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let json = "{\"type_description\": \(individualJSON(typeName, descriptions[typeName] ?? [])), "
            + "\"referenced_type_descriptions\": ["
            + referenced.map { individualJSON($0, descriptions[$0] ?? []) }.joined(separator: ", ") + "]}"
        return "RIHS01_" + SHA256.hexDigest(Array(json.utf8))
    }

    /// The `.msg` text of every type in `schemaText`, by `pkg/msg/Type` name.
    private static func sections(of schemaText: String, typeName: String) throws -> [String: String] {
        let separator = String(repeating: "=", count: 80)
        var result: [String: String] = [:]
        var name = typeName
        var lines: [Substring] = []
        var expectHeader = false
        for line in schemaText.split(separator: "\n", omittingEmptySubsequences: false) {
            if expectHeader {
                guard line.hasPrefix("MSG: ") else { throw TypeHashError.unsupportedSection(header: String(line)) }
                let short = line.dropFirst(5).trimmingCharacters(in: .whitespaces).split(separator: "/")
                name = short.count == 2 ? "\(short[0])/msg/\(short[1])" : short.joined(separator: "/")
                expectHeader = false
            } else if line == separator {
                result[name] = lines.joined(separator: "\n")
                lines = []
                expectHeader = true
            } else {
                lines.append(line)
            }
        }
        result[name] = lines.joined(separator: "\n")
        return result
    }

    /// One `IndividualTypeDescription` as rosidl's hashing JSON: `", "` and `": "` separators, keys
    /// in message order, no default values.
    private static func individualJSON(_ typeName: String, _ fields: [MsgField]) -> String {
        let fieldTexts = fields.map { field -> String in
            let type = fieldType(field)
            return "{\"name\": \(quoted(field.name)), \"type\": {\"type_id\": \(type.id), \"capacity\": \(type.capacity), "
                + "\"string_capacity\": \(type.stringCapacity), \"nested_type_name\": \(quoted(type.nested))}}"
        }
        return "{\"type_name\": \(quoted(typeName)), \"fields\": [\(fieldTexts.joined(separator: ", "))]}"
    }

    /// `type_description_interfaces/msg/FieldType` ids of the element types; arrays add 48, bounded
    /// sequences 96, unbounded sequences 144.
    private static let elementIDs: [String: Int] = [
        "int8": 2, "uint8": 3, "char": 3, "int16": 4, "uint16": 5, "int32": 6, "uint32": 7, "int64": 8,
        "uint64": 9, "float32": 10, "float64": 11, "bool": 15, "byte": 16, "string": 17, "wstring": 18,
    ]
    private static let nestedID = 1
    private static let boundedStringID = 21
    private static let boundedWStringID = 22

    private static func fieldType(_ field: MsgField) -> (id: Int, capacity: Int, stringCapacity: Int, nested: String) {
        let element = field.elementType
        var id: Int
        var stringCapacity = 0
        var nested = ""
        if let primitive = elementIDs[element] {
            id = primitive
        } else if let bound = bound(element, prefix: "string<=") {
            (id, stringCapacity) = (boundedStringID, bound)
        } else if let bound = bound(element, prefix: "wstring<=") {
            (id, stringCapacity) = (boundedWStringID, bound)
        } else {
            (id, nested) = (nestedID, element)
        }
        var capacity = 0
        switch field.container {
        case .single: break
        case .array(let size): id += 48; capacity = size
        case .boundedSequence(let bound): id += 96; capacity = bound
        case .unboundedSequence: id += 144
        }
        return (id, capacity, stringCapacity, nested)
    }

    private static func bound(_ element: String, prefix: String) -> Int? {
        element.hasPrefix(prefix) ? Int(element.dropFirst(prefix.count)) : nil
    }

    /// A JSON string with Python `json.dumps(ensure_ascii=True)` escapes.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                for unit in String(scalar).utf16 { result += "\\u" + String(format: "%04x", unit) }
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension ROSMessage {
    /// This type's ROS 2 type hash (`RIHS01_…`), computed from `schemaText`.
    public static func typeHash() throws -> String {
        try ROS2TypeHash.rihs01(typeName: typeName, schemaText: schemaText)
    }
}
