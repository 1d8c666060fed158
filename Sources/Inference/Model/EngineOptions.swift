/// Run-time choices that do not come from the checkpoint.
public struct EngineOptions: Sendable {
    /// OpenBLAS worker threads (process-wide, set once at model creation); nil = one per core.
    public var blasThreads: Int?
    /// LLaMA layers to load and run (EfficientVLA layer pruning); nil = all.
    public var keepLLMLayers: Set<Int>?
    /// DDIM step count; nil = `action.ddim_steps` of config.json.
    public var ddimSteps: Int?
    /// Classifier-free guidance scale; nil = `action.cfg_scale`. 1 disables guidance.
    public var cfgScale: Float?
    /// EfficientVLA switches; the default is the dense model. Dropped layers are removed from
    /// the layers loaded (on top of `keepLLMLayers`) and pruned MLP channels are never loaded.
    public var acceleration: AccelerationSettings

    /// Options; every nil falls back to the default described on the property.
    public init(blasThreads: Int? = nil, keepLLMLayers: Set<Int>? = nil, ddimSteps: Int? = nil, cfgScale: Float? = nil,
                acceleration: AccelerationSettings = .dense) {
        self.acceleration = acceleration
        self.blasThreads = blasThreads
        self.keepLLMLayers = keepLLMLayers
        self.ddimSteps = ddimSteps
        self.cfgScale = cfgScale
    }
}
