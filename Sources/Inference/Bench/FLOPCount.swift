/// Analytic floating-point operation counts (2 per multiply-add) of the GEMMs and attention
/// products the engine actually runs for one forward; element-wise work is ignored.
public struct FLOPCount: Sendable {
    /// Both ViT towers.
    public var vision: Double
    /// The fused MLP projector.
    public var projector: Double
    /// The LLaMA prefill (last layer: last row only).
    public var llm: Double
    /// All DDIM steps of the DiT, including the CFG batch.
    public var action: Double
    /// Sum of the stages.
    public var total: Double { vision + projector + llm + action }

    /// Counts for `config` with a prompt of `tokenCount` ids (BOS included).
    public init(config: ModelConfig, tokenCount: Int, ddimSteps: Int? = nil, cfgScale: Float? = nil) {
        let patches = Double(config.vision.patchCount)
        let patchPixels = Double(3 * config.vision.patchSize * config.vision.patchSize)
        func tower(_ c: ViTConfig) -> Double {
            let t = patches + Double(c.prefixTokens), w = Double(c.width), m = Double(c.mlpDim)
            let block = 2 * t * w * (3 * w + w + 2 * m) + 4 * t * t * w
            return 2 * patches * patchPixels * w + Double(c.featureLayer + 1) * block
        }
        vision = tower(config.vision.dino) + tower(config.vision.siglip)

        let f = Double(config.vision.dino.width + config.vision.siglip.width), d = Double(config.llm.hidden)
        projector = 2 * patches * (f * 4 * f + 4 * f * d + d * d)

        let l = patches + Double(tokenCount), kv = Double(config.llm.kvHeads * config.llm.headDim)
        let i = Double(config.llm.intermediate)
        let fullLayer = 2 * l * d * (d + 2 * kv) + 4 * l * l * d + 2 * l * d * d + 6 * l * d * i
        let lastLayer = 2 * l * d * 2 * kv + 2 * d * d + 4 * l * d + 2 * d * d + 6 * d * i
        llm = Double(config.llm.layers - 1) * fullLayer + lastLayer

        let a = config.action, h = Double(a.hidden), tokens = Double(a.horizon + 1)
        let batch: Double = (cfgScale ?? a.cfgScale) > 1 ? 2 : 1, rows = batch * tokens
        let block = 2 * rows * h * (3 * h + h + 8 * h) + batch * 4 * tokens * tokens * h
        let embed = 2 * rows * h * Double(a.actionDim) * 2 + 2 * h * (256 + h)
        action = Double(ddimSteps ?? a.ddimSteps) * (Double(a.depth) * block + embed) + 2 * batch * d * h
    }
}
