import Foundation
import Inference

/// Loads `CogACTPolicy` from the launch file's model directory, turning every failure into a
/// `NodeError` that says what to fix (missing directory or files, bad config, unknown unnorm key).
public enum PolicyLoader {
    /// The files a converted checkpoint directory must contain.
    public static let requiredFiles = ["config.json", "tokenizer.model", "dataset_statistics.json"]

    /// Checks the directory, loads the policy with `EngineSettings.options` and checks the unnorm key.
    /// - Throws: `NodeError`.
    public static func load(_ configuration: LaunchConfiguration) throws -> CogACTPolicy {
        let path = configuration.model.directory
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NodeError.model(directory: path, reason: "no such directory (relative paths start at \(FileManager.default.currentDirectoryPath))")
        }
        let missing = requiredFiles.filter { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
        guard missing.isEmpty else { throw NodeError.model(directory: path, reason: "missing \(missing.joined(separator: ", "))") }
        let policy: CogACTPolicy
        do {
            let config = try ModelConfig.load(from: directory.appendingPathComponent("config.json"))
            let options = try EngineSettings.options(for: configuration, model: config)
            policy = try CogACTPolicy(directory: directory, options: options)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError.model(directory: path, reason: String(describing: error))
        }
        if let temporal = configuration.acceleration.temporalReuse {
            do {
                try policy.configureTemporalReuse(temporal)
            } catch TemporalReuseError.invalidValue(let name, let value, let expected) {
                throw NodeError.acceleration(key: "temporal_reuse.\(name)", reason: "\(value) is invalid for this model; expected \(expected)")
            }
        }
        let keys = policy.model.statistics.datasets.keys.sorted()
        guard keys.contains(configuration.model.unnormKey) else {
            throw NodeError.unknownUnnormKey(configuration.model.unnormKey, directory: path, available: keys)
        }
        return policy
    }
}
