import Foundation
import Inference

/// Turns the launch file's model, acceleration and thread settings into the engine's `EngineOptions`.
///
/// The BLAS thread count follows OpenBLAS practice: one inference thread owns every BLAS call, and by
/// default BLAS gets every core but one, so the control, ingress and ZeroMQ I/O threads keep a core.
/// The EfficientVLA keys become `Inference.AccelerationSettings`: the load-time part (dropped layers,
/// MLP channels) from `prune_plan` or `drop_layers`, then `visual_tokens`, `selection_layer` and
/// `cache_interval`. Every setting is checked against the model here, so a bad one stops the node at
/// start-up with the key that holds it.
public enum EngineSettings {
    /// The BLAS threads to use: the launch file's `threads`, or cores − 1 (at least 1).
    public static func blasThreads(requested: Int?, onlineCores: Int = BLAS.onlineCores) -> Int {
        requested ?? max(1, onlineCores - 1)
    }

    /// Engine options for `configuration` and the model whose config.json is `model`.
    /// - Throws: `NodeError.acceleration` naming the `node.acceleration` key to fix (unreadable plan,
    ///   plan for another model, layers outside the model, budget above the visual tokens …).
    public static func options(for configuration: LaunchConfiguration, model: ModelConfig) throws -> EngineOptions {
        EngineOptions(blasThreads: blasThreads(requested: configuration.threads),
                      acceleration: try acceleration(configuration.acceleration, model: model))
    }

    /// The engine's acceleration settings for the launch keys. Each step is validated as it is added,
    /// so an engine `AccelerationError` is attributed to the key that introduced it.
    /// - Throws: `NodeError.acceleration`.
    public static func acceleration(_ launch: LaunchAcceleration, model: ModelConfig) throws -> AccelerationSettings {
        var settings: AccelerationSettings
        let pruningKey: String
        switch launch.layerPruning {
        case .none:
            settings = .dense
            pruningKey = "drop_layers"
        case .planFile(let path):
            settings = try PlanFile.settings(path: path, model: model)
            pruningKey = "prune_plan"
        case .dropLayers(let layers):
            settings = AccelerationSettings(droppedLayers: Set(layers))
            pruningKey = "drop_layers"
        }
        try check(settings, model: model, key: pruningKey)

        if let budget = launch.visualTokens {
            let patches = model.vision.patchCount
            guard budget <= patches else {
                throw NodeError.acceleration(key: "visual_tokens", reason: "\(budget) is more than the \(patches) visual tokens of the model; choose K < \(patches) (the paper uses 56 … 112 of 256) or remove the key")
            }
            settings.visualTokens = budget
            if let layer = launch.selectionLayer { settings.selectionLayer = layer }
            try check(settings, model: model, key: launch.selectionLayer == nil ? "visual_tokens" : "selection_layer")
        }
        if let interval = launch.cacheInterval {
            settings.cacheInterval = interval
            try check(settings, model: model, key: "cache_interval")
        }
        return settings
    }

    private static func check(_ settings: AccelerationSettings, model: ModelConfig, key: String) throws {
        do {
            try settings.validate(for: model)
        } catch {
            throw NodeError.acceleration(key: key, reason: String(describing: error))
        }
    }
}
