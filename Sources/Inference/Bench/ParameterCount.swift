/// Number of parameters the engine loads for a configuration (ViT blocks after the feature
/// layer, the LM head and other unused tensors excluded); ×4 gives the fp32 resident size.
public enum ParameterCount {
    /// Loaded parameters of `config`.
    public static func loaded(_ config: ModelConfig) -> Int {
        let patchPixels = 3 * config.vision.patchSize * config.vision.patchSize
        func tower(_ c: ViTConfig) -> Int {
            let w = c.width, m = c.mlpDim
            let block = 4 * w + (3 * w * w + 3 * w) + (w * w + w) + (w * m + m) + (m * w + w) + (c.isDINO ? 2 * w : 0)
            return patchPixels * w + w + config.vision.patchCount * w + c.prefixTokens * w + (c.featureLayer + 1) * block
        }
        let f = config.vision.dino.width + config.vision.siglip.width
        let llm = config.llm, d = llm.hidden, kv = llm.kvHeads * llm.headDim
        let projector = f * 4 * f + 4 * f + 4 * f * d + d + d * d + d
        let language = llm.vocab * d + d + llm.layers * (2 * d * d + 2 * d * kv + 3 * d * llm.intermediate + 2 * d)
        let a = config.action, h = a.hidden
        let dit = (a.actionDim * h + h) + (256 * h + h) + (h * h + h) + (d * h + h) + d + (a.horizon + 1) * h
            + a.depth * (12 * h * h + 9 * h) + (h * a.actionDim + a.actionDim)
        return tower(config.vision.dino) + tower(config.vision.siglip) + projector + language + dit
    }
}
