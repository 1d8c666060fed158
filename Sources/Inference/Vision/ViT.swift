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

    /// Tokens of the sequence: the prefix, then the patches.
    var tokenCount: Int { config.prefixTokens + patchCount }

    /// An empty cache for `features(…cache:recompute:)`.
    func makeCache() -> TowerCache {
        TowerCache(tokenCount: tokenCount, patchCount: patchCount, width: config.width, blockCount: blocks.count)
    }

    /// Features of `pixels` (`[3, size, size]`, already normalised) into `out`
    /// `[patchCount, width]` with row stride `ldo` (so two towers can fill one fused matrix).
    func features(pixels: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, ldo: Int) {
        let x = embed(pixels)
        for block in blocks { block.apply(x, tokens: tokenCount, config: config, scratch: scratch) }
        copyRows(x + config.prefixTokens * config.width, count: patchCount, into: out, ldo: ldo)
    }

    /// `features` through `cache`: only the prefix and the patches `recompute` (ascending; nil or an
    /// empty cache: all) run through the blocks, attending to the cached keys/values of the other
    /// patches, which keep their cached features. The cache is updated with what was computed. With
    /// every patch recomputed the result equals `features` bit for bit. Returns the patches computed.
    @discardableResult
    func features(pixels: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, ldo: Int,
                  cache: TowerCache, recompute: [Int]?) -> [Int] {
        let w = config.width, prefixCount = config.prefixTokens
        let patches = cache.isFilled ? recompute ?? Array(0 ..< patchCount) : Array(0 ..< patchCount)
        let rowTokens = Array(0 ..< prefixCount) + patches.map { prefixCount + $0 }
        let x = embed(pixels)
        let rows = scratch.gathered.reserve(rowTokens.count * w)
        for (row, token) in rowTokens.enumerated() { (rows + row * w).update(from: x + token * w, count: w) }
        if !rowTokens.isEmpty {
            for (index, block) in blocks.enumerated() {
                block.apply(rows, tokens: rowTokens.count, config: config, scratch: scratch,
                            cached: cache.keyValues(block: index, rowTokens: rowTokens))
            }
        }
        for (row, patch) in patches.enumerated() {
            (cache.features + patch * w).update(from: rows + (prefixCount + row) * w, count: w)
        }
        cache.markFilled()
        copyRows(cache.features, count: patchCount, into: out, ldo: ldo)
        return patches
    }

    /// The block input: prefix, then the embedded patches plus their positions, `[tokens, width]`
    /// in the scratch buffer.
    private func embed(_ pixels: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        let w = config.width, prefixCount = config.prefixTokens
        let x = scratch.tokens.reserve(tokenCount * w)
        let patches = x + prefixCount * w
        patchEmbedding.apply(pixels: pixels, columns: scratch.columns, into: patches, ldo: w)
        BLAS.add(positions.data, to: patches, count: patchCount * w)
        if let prefix { x.update(from: prefix.data, count: prefix.count) }
        return x
    }

    private func copyRows(_ source: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>, ldo: Int) {
        let w = config.width
        for p in 0 ..< count { (out + p * ldo).update(from: source + p * w, count: w) }
    }
}
