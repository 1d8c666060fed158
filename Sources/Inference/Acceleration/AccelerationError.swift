/// Invalid EfficientVLA settings or pruning plans.
public enum AccelerationError: Error, CustomStringConvertible, Equatable {
    /// A layer index outside the model.
    case layerOutOfRange(Int, layers: Int)
    /// Every layer would be dropped.
    case allLayersDropped(Int)
    /// A numeric setting outside its range.
    case invalidValue(name: String, value: String, expected: String)
    /// An MLP keep ratio below 1 without per-layer channels.
    case missingChannelPlan(ratio: Double)
    /// A channel plan with indices outside the MLP width, duplicates or no channels.
    case invalidChannelPlan(layer: Int, width: Int)
    /// A channel plan lists the same layer more than once.
    case duplicateChannelPlan(layer: Int)
    /// A runtime-only update tried to change what is loaded.
    case loadTimeSettingChanged(String)
    /// A calibration request that cannot be satisfied.
    case invalidCalibration(String)

    public var description: String {
        switch self {
        case let .layerOutOfRange(layer, layers):
            return "layer \(layer) does not exist; the model has layers 0 ..< \(layers)"
        case let .allLayersDropped(layers):
            return "all \(layers) LLaMA layers would be dropped; keep at least one"
        case let .invalidValue(name, value, expected):
            return "\(name) is \(value), expected \(expected)"
        case let .missingChannelPlan(ratio):
            return "an MLP keep ratio of \(ratio) needs per-layer channels: pass a prune plan from `vla-node calibrate --mlp-keep-ratio`"
        case let .invalidChannelPlan(layer, width):
            return "the MLP channel plan of layer \(layer) must list distinct channels in 0 ..< \(width)"
        case let .duplicateChannelPlan(layer):
            return "the MLP channel plan lists layer \(layer) more than once; keep one entry per layer"
        case let .loadTimeSettingChanged(what):
            return "\(what) is fixed when the model is loaded; build a new model with these settings"
        case let .invalidCalibration(detail):
            return "calibration: \(detail)"
        }
    }
}
