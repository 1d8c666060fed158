/// Why a launch file or a command-line override was refused. Every message names the source and the
/// full key path, e.g. `launch.yaml: node.control.rate_hz: expected a positive number, found "fast"`.
public enum LaunchError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The text is not valid YAML.
    case invalidYAML(source: String, reason: String)
    /// A key holds a value of the wrong type or out of range.
    case invalidValue(source: String, key: String, expected: String, found: String)
    /// A key the schema does not know.
    case unknownKey(source: String, key: String, allowed: [String])
    /// A key the schema no longer accepts; `instead` says what replaces it.
    case removedKey(source: String, key: String, instead: String)
    /// A key that appears twice in one mapping.
    case duplicateKey(source: String, key: String)
    /// A required key is absent.
    case missingKey(source: String, key: String)
    /// Keys that cannot be used together.
    case conflict(source: String, key: String, reason: String)
    /// A command-line override that is not `key.path=value`.
    case invalidOverride(String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the launch file: \(reason)"
        case .invalidYAML(let source, let reason):
            return "\(source): not valid YAML: \(reason)"
        case .invalidValue(let source, let key, let expected, let found):
            return "\(source): \(key): expected \(expected), found \(found)"
        case .unknownKey(let source, let key, let allowed):
            return "\(source): \(key): unknown key; allowed here: \(allowed.joined(separator: ", "))"
        case .removedKey(let source, let key, let instead):
            return "\(source): \(key): no longer supported; \(instead)"
        case .duplicateKey(let source, let key):
            return "\(source): \(key): the key appears more than once"
        case .missingKey(let source, let key):
            return "\(source): \(key): missing required key"
        case .conflict(let source, let key, let reason):
            return "\(source): \(key): \(reason)"
        case .invalidOverride(let text, let reason):
            return "command line: override \"\(text)\": \(reason); write key.path=value, e.g. node.control.rate_hz=10"
        }
    }
}
