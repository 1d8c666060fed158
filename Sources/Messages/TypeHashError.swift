/// Why a ROS 2 type hash (RIHS01) could not be computed from a message definition.
public enum TypeHashError: Error, Equatable, CustomStringConvertible {
    /// A line of a `.msg` definition is neither a field, a constant, a comment nor blank.
    case malformedLine(typeName: String, line: String)
    /// A field names a type whose definition is not in the schema text.
    case missingDefinition(typeName: String, referencedBy: String)
    /// The schema text has a section that is not a `MSG: pkg/Type` definition (e.g. an `IDL:` one).
    case unsupportedSection(header: String)

    /// What is wrong and what to fix.
    public var description: String {
        switch self {
        case .malformedLine(let typeName, let line):
            return "cannot parse line \"\(line)\" of \(typeName): expected \"TYPE NAME\", \"TYPE NAME DEFAULT\" or \"TYPE NAME=VALUE\""
        case .missingDefinition(let typeName, let referencedBy):
            return "\(referencedBy) uses \(typeName), whose definition is not in the schema text; append it as a \"MSG: \(typeName.replacingOccurrences(of: "/msg/", with: "/"))\" section"
        case .unsupportedSection(let header):
            return "schema section \"\(header)\" is not a ros2msg definition (expected \"MSG: pkg/Type\"); only ros2msg schemas can be hashed"
        }
    }
}
