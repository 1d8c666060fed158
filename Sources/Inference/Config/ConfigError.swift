/// Errors in `config.json` or `dataset_statistics.json`.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be read.
    case cannotRead(file: String, reason: String)
    /// A required key is absent; `key` is the dotted path, e.g. `llm.rope_theta`.
    case missingKey(file: String, key: String)
    /// A key has the wrong JSON type or the file is not JSON.
    case malformed(file: String, key: String, detail: String)
    /// A value is out of range or inconsistent with another one.
    case invalidValue(file: String, key: String, detail: String)
    /// The requested un-normalisation key is not in the statistics.
    case unknownUnnormKey(String, available: [String])

    public var description: String {
        switch self {
        case let .cannotRead(file, reason):
            return "cannot read \(file): \(reason)"
        case let .missingKey(file, key):
            return "\(file): required key '\(key)' is missing"
        case let .malformed(file, key, detail):
            return "\(file): '\(key)' is malformed: \(detail)"
        case let .invalidValue(file, key, detail):
            return "\(file): '\(key)' is invalid: \(detail)"
        case let .unknownUnnormKey(key, available):
            return "unnorm key '\(key)' is not in dataset_statistics.json; available: \(available.sorted().joined(separator: ", "))"
        }
    }
}
