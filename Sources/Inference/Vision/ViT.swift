/// A timm ViT tower cut at `featureLayer`: patch embedding, learned positions (added to the
/// patches only), optional CLS + register prefix (DINOv2, prepended after the positions),
/// blocks `0...featureLayer`, prefix dropped, no final norm.
final class VisionTransformer {
    let config: ViTConfig
    private let patchEmbedding: PatchEmbedding
    private let positions: Tensor
    /// CLS followed by the registers, `[prefixTokens, width]`; nil for SigLIP.
    private let prefix: Tensor?
    private let blocks: [ViTBlock]
    private let scratch = ViTScratch()

    /// Loads `<prefix>.*` (timm names); blocks after `featureLayer` are not read.
    init(_ source: WeightSource, prefix name: String, config: ViTConfig, vision: VisionConfig) throws {
        self.config = config
        let w = config.width
        patchEmbedding = try PatchEmbedding(source, prefix: "\(name).patch_embed", width: w,
                                            imageSize: vision.imageSize, patchSize: vision.patchSize)
        positions = try source.tensor("\(name).pos_embed", shape: [1, vision.patchCount, w])
        if let registers = config.registerTokens {
            let prefix = Tensor(uninitializedShape: [registers + 1, w])
            try source.read("\(name).cls_token", shape: [1, 1, w], into: prefix.data)
            try source.read("\(name).reg_token", shape: [1, registers, w], into: prefix.data + w)
            self.prefix = prefix
        } else {
            prefix = nil
        }
        blocks = try (0 ... config.featureLayer).map {
            try ViTBlock(source, prefix: "\(name).blocks.\($0)", config: config)
        }
    }

    var patchCount: Int { patchEmbedding.patchCount }

    /// Features of `pixels` (`[3, size, size]`, already normalised) into `out`
    /// `[patchCount, width]` with row stride `ldo` (so two towers can fill one fused matrix).
    func features(pixels: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, ldo: Int) {
        let w = config.width, prefixCount = config.prefixTokens
        let tokens = prefixCount + patchCount
        let x = scratch.tokens.reserve(tokens * w)
        patchEmbedding.apply(pixels: pixels, columns: scratch.columns, into: x + prefixCount * w, ldo: w)
        let patches = x + prefixCount * w
        BLAS.add(positions.data, to: patches, count: patchCount * w)
        if let prefix { x.update(from: prefix.data, count: prefix.count) }
        for block in blocks { block.apply(x, tokens: tokens, config: config, scratch: scratch) }
        for p in 0 ..< patchCount {
            (out + p * ldo).update(from: patches + p * w, count: w)
        }
    }
}
