import Foundation
import Inference

/// Turns the launch file's model, acceleration and thread settings into the engine's `EngineOptions`.
///
/// The BLAS thread count follows style-perf B5: one inference thread owns every BLAS call, and by
/// default BLAS gets every core but one, so the control, ingress and ZeroMQ I/O threads keep a core.
/// Acceleration settings the engine of this build cannot apply are refused at start-up, never ignored.
public enum EngineSettings {
    /// The BLAS threads to use: the launch file's `threads`, or cores − 1 (at least 1).
    public static func blasThreads(requested: Int?, onlineCores: Int = BLAS.onlineCores) -> Int {
        requested ?? max(1, onlineCores - 1)
    }

    /// Engine options for `configuration`; `layerCount` is the model's LLaMA depth (config.json).
    /// - Throws: `NodeError.unsupportedAcceleration` for settings this engine cannot apply,
    ///   `.invalidLayerPruning` for layers outside the model or a plan that drops every layer.
    public static func options(for configuration: LaunchConfiguration, layerCount: Int) throws -> EngineOptions {
        let acceleration = configuration.acceleration
        var options = EngineOptions(blasThreads: blasThreads(requested: configuration.threads))
        switch acceleration.layerPruning {
        case .none:
            break
        case .planFile:
            throw NodeError.unsupportedAcceleration(
                key: "prune_plan", reason: "this engine build cannot read prune plans yet; list the layers with drop_layers")
        case .dropLayers(let layers):
            let outside = layers.filter { $0 >= layerCount }
            guard outside.isEmpty else {
                throw NodeError.invalidLayerPruning("layers \(outside) do not exist; the model has layers 0…\(layerCount - 1)")
            }
            let kept = Set(0..<layerCount).subtracting(layers)
            guard !kept.isEmpty else { throw NodeError.invalidLayerPruning("every layer would be dropped; keep at least one") }
            options.keepLLMLayers = kept
        }
        let unsupported: [(String, Bool)] = [
            ("visual_tokens", acceleration.visualTokens != nil),
            ("cache_interval", (acceleration.cacheInterval ?? 1) != 1),
            ("mlp_keep_ratio", (acceleration.mlpKeepRatio ?? 1) != 1),
        ]
        if let (key, _) = unsupported.first(where: { $0.1 }) {
            throw NodeError.unsupportedAcceleration(
                key: key, reason: "this engine build does not implement it yet; remove the key to run without it")
        }
        return options
    }
}
