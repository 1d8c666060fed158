import Foundation
import Logging
import Yams

/// Loads a launch file: YAML parsed with Yams, command-line overrides applied, then every key checked
/// against the schema below. Unknown keys and bad values are refused with their full key path.
///
/// ```yaml
/// node:
///   name: vla_node                       # default vla_node
///   model: {dir: demo/model, unnorm_key: fixture_robot}        # both required
///   topics:                              # each: topic (default shown), and bind: or connect:
///     camera:       {topic: /camera/image_raw, type: sensor_msgs/msg/Image, bind: tcp://127.0.0.1:5555}
///     instruction:  {topic: /instruction, bind: tcp://127.0.0.1:5556}
///     action_chunk: {topic: /vla/action_chunk, bind: tcp://127.0.0.1:5557}
///     latency:      {topic: /vla/latency, bind: tcp://127.0.0.1:5557}
///   acceleration: {prune_plan: plan.json | drop_layers: [..], visual_tokens: 56, selection_layer: 1, cache_interval: 5,
///                  temporal_reuse: {enabled: true, measure: cosine, threshold: 0.996, max_reused_share: 0.5,
///                                   relevant_share: 0.47, relevance_layer: 15, start_layer: 2, refresh_interval: 10,
///                                   max_changed_share: 0.5, vision_towers: false}}   # temporal_reuse: every key optional, present = on
///   # relative model.dir and prune_plan paths are relative to the working directory of the process
///   control: {rate_hz: 5, chunk_policy: chunking | ensemble, ensemble: {alpha: 0.1, horizon: 2}}
///   threads: 2                           # optional
///   log_level: info
///   stats: {interval_s: 10, window: 200, warmup_inferences: 1}
///   record: {path: run.mcap, compression: zstd, queue_mb: 256}   # optional
/// ```
public enum LaunchLoader {
    /// Reads and validates the launch file at `path`, then applies `overrides` (`key.path=value`).
    /// - Throws: `LaunchError`.
    public static func load(path: String, overrides: [String] = []) throws -> LaunchConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LaunchError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try parse(yaml: text, sourceName: (path as NSString).lastPathComponent, overrides: overrides)
    }

    /// Validates launch-file text; `sourceName` prefixes error messages (usually the file name).
    /// - Throws: `LaunchError`.
    public static func parse(yaml: String, sourceName: String, overrides: [String] = []) throws -> LaunchConfiguration {
        var root: Node?
        do {
            root = try BoundedYAML.compose(yaml)
        } catch {
            throw LaunchError.invalidYAML(source: sourceName, reason: String(describing: error))
        }
        let parsedOverrides = try overrides.map(LaunchOverride.init(parsing:))
        for override in parsedOverrides { root = try override.applied(to: root) }
        let source = LaunchSource(fileName: sourceName, overriddenKeys: parsedOverrides.map(\.keyPath))
        guard let root else { throw LaunchError.missingKey(source: sourceName, key: "node") }
        let document = try MappingReader(root, path: "", source: source, allowedKeys: ["node"])
        guard let node = try document.mapping("node", allowedKeys: LaunchSchema.nodeKeys) else {
            throw LaunchError.missingKey(source: sourceName, key: "node")
        }
        return try LaunchSchema.configuration(from: node)
    }
}
