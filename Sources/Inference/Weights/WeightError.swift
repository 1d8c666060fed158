/// Errors raised while reading a safetensors checkpoint or fetching a tensor from it.
public enum WeightError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or mapped (missing file, permissions, …).
    case cannotOpen(file: String, reason: String)
    /// The file is shorter than its header says.
    case truncated(file: String, detail: String)
    /// The JSON header is malformed or violates the safetensors rules.
    case invalidHeader(file: String, detail: String)
    /// A tensor entry names a dtype that is not part of the safetensors format.
    case unsupportedDType(file: String, key: String, dtype: String)
    /// A tensor the model needs is not in the checkpoint.
    case missingTensor(key: String, searched: String)
    /// A tensor exists but its shape differs from what the configuration implies.
    case shapeMismatch(key: String, expected: [Int], found: [Int], file: String)
    /// A tensor exists but cannot be served in the requested element type.
    case wrongElementType(key: String, requested: String, found: String, file: String)
    /// The shard index (`model.safetensors.index.json`) is malformed or names a missing shard.
    case invalidIndex(file: String, detail: String)
    /// config.json describes more parameters than the whole checkpoint holds.
    case checkpointSmallerThanConfig(parameters: Int, checkpointElements: Int, checkpoint: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "cannot open \(file): \(reason)"
        case let .truncated(file, detail):
            return "\(file) is truncated or corrupt: \(detail); re-download or re-convert the checkpoint"
        case let .invalidHeader(file, detail):
            return "\(file) has an invalid safetensors header: \(detail)"
        case let .unsupportedDType(file, key, dtype):
            return "\(file): tensor '\(key)' has unknown dtype \(dtype); the file is corrupt or not safetensors"
        case let .missingTensor(key, searched):
            return "tensor '\(key)' is missing from \(searched); the checkpoint does not match config.json"
        case let .shapeMismatch(key, expected, found, file):
            return "\(file): tensor '\(key)' has shape \(found), expected \(expected) from config.json"
        case let .wrongElementType(key, requested, found, file):
            return "\(file): tensor '\(key)' is \(found), cannot be read as \(requested)"
        case let .invalidIndex(file, detail):
            return "\(file) is not a valid shard index: \(detail)"
        case let .checkpointSmallerThanConfig(parameters, elements, checkpoint):
            return "config.json describes \(parameters) parameters but \(checkpoint) holds only \(elements) values; "
                + "the config does not belong to this checkpoint"
        }
    }
}
