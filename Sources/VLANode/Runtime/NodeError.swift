/// Why the node could not start. Each message says what to fix.
public enum NodeError: Error, Equatable, CustomStringConvertible {
    /// The model directory is missing, incomplete or does not load.
    case model(directory: String, reason: String)
    /// The unnorm key is not in the model's dataset statistics.
    case unknownUnnormKey(String, directory: String, available: [String])
    /// A `node.acceleration` setting that does not fit the model (or a plan file that cannot be used);
    /// `key` is the key under `node.acceleration`.
    case acceleration(key: String, reason: String)
    /// A socket could not bind or connect.
    case endpoint(mode: EndpointMode, address: String, reason: String)
    /// The bag named by `node.record.path` could not be created.
    case record(path: String, reason: String)
    /// Another start-up step failed (sockets, threads).
    case startup(String)

    public var description: String {
        switch self {
        case .model(let directory, let reason):
            return "node.model.dir \(directory): \(reason). Point node.model.dir at a converted CogACT checkpoint "
                + "(config.json, model.safetensors, tokenizer.model, dataset_statistics.json; see docs/checkpoint-format.md)"
        case .unknownUnnormKey(let key, let directory, let available):
            return "node.model.unnorm_key \"\(key)\" is not in \(directory)/dataset_statistics.json; "
                + "use one of: \(available.joined(separator: ", "))"
        case .acceleration(let key, let reason):
            return "node.acceleration.\(key): \(reason)"
        case .endpoint(let mode, let address, let reason):
            let hint = mode == .bind
                ? "is another process (or another node) already bound there? choose a free port or connect instead"
                : "check the address syntax, e.g. tcp://127.0.0.1:5555"
            return "cannot \(mode.rawValue) \(address): \(reason); \(hint)"
        case .record(let path, let reason):
            return "node.record.path \(path): cannot create the bag: \(reason)"
        case .startup(let reason):
            return "node start-up failed: \(reason)"
        }
    }
}
