/// One pre-LN transformer block of a timm ViT:
/// `x += γ₁ ⊙ proj(attn(LN₁ x)); x += γ₂ ⊙ fc2(GELU(fc1(LN₂ x)))` (γ = LayerScale, DINOv2 only).
/// LayerScale is folded into `proj` and `fc2` (applied while their weights are widened), so both residual adds fuse into the GEMM.
struct ViTBlock {
    let norm1Weight: Tensor, norm1Bias: Tensor
    let qkv: Linear
    let proj: Linear
    let norm2Weight: Tensor, norm2Bias: Tensor
    let fc1: Linear
    let fc2: Linear

    init(_ source: WeightSource, prefix: String, config: ViTConfig) throws {
        let w = config.width
        norm1Weight = try source.tensor("\(prefix).norm1.weight", shape: [w])
        norm1Bias = try source.tensor("\(prefix).norm1.bias", shape: [w])
        norm2Weight = try source.tensor("\(prefix).norm2.weight", shape: [w])
        norm2Bias = try source.tensor("\(prefix).norm2.bias", shape: [w])
        qkv = try Linear(source, "\(prefix).attn.qkv", in: w, out: 3 * w)
        fc1 = try Linear(source, "\(prefix).mlp.fc1", in: w, out: config.mlpDim)
        let proj = try Linear(source, "\(prefix).attn.proj", in: w, out: w)
        let fc2 = try Linear(source, "\(prefix).mlp.fc2", in: config.mlpDim, out: w)
        if config.isDINO {
            self.proj = proj.scalingOutputs(by: try source.tensor("\(prefix).ls1.gamma", shape: [w]))
            self.fc2 = fc2.scalingOutputs(by: try source.tensor("\(prefix).ls2.gamma", shape: [w]))
        } else {
            self.proj = proj
            self.fc2 = fc2
        }
    }

    /// Runs the block in place on `x` `[tokens, width]`. Without `cached` the rows are all the
    /// tokens and attend to each other. With it, row `i` is token `cached.rowTokens[i]`: its keys and
    /// values are written into the cache, and every row attends to all the cached tokens (the tokens
    /// not in `x` keep the keys/values of the frame they were last computed on).
    func apply(_ x: UnsafeMutablePointer<Float>, tokens: Int, config: ViTConfig, scratch: ViTScratch,
               cached: CachedKeyValues? = nil) {
        let w = config.width
        let normed = scratch.normed.reserve(tokens * w)
        Norms.layerNorm(x, rows: tokens, width: w, eps: config.layerNormEps,
                        weight: norm1Weight.data, bias: norm1Bias.data, into: normed)
        let qkvOut = scratch.qkv.reserve(tokens * 3 * w)
        qkv.apply(normed, rows: tokens, into: qkvOut)
        let attended = scratch.attended.reserve(tokens * w)
        var keys = UnsafePointer(qkvOut + w), keyStride = 3 * w, keyRows = tokens
        if let cached {
            for (row, token) in cached.rowTokens.enumerated() {
                (cached.storage + token * 2 * w).update(from: qkvOut + row * 3 * w + w, count: 2 * w)
            }
            (keys, keyStride, keyRows) = (UnsafePointer(cached.storage), 2 * w, cached.tokenCount)
        }
        Attention.compute(q: qkvOut, ldq: 3 * w, k: keys, ldk: keyStride, v: keys + w, ldv: keyStride,
                          queryRows: tokens, keyRows: keyRows,
                          heads: AttentionHeads(heads: config.heads, headDim: config.headDim), mask: .bidirectional,
                          out: attended, ldo: w, scratch: scratch.attention)
        proj.apply(attended, rows: tokens, into: x, accumulate: true)

        Norms.layerNorm(x, rows: tokens, width: w, eps: config.layerNormEps,
                        weight: norm2Weight.data, bias: norm2Bias.data, into: normed)
        let hidden = scratch.hidden.reserve(tokens * config.mlpDim)
        fc1.apply(normed, rows: tokens, into: hidden)
        Activations.geluErf(hidden, rows: tokens, width: config.mlpDim)
        fc2.apply(hidden, rows: tokens, into: x, accumulate: true)
    }
}

/// Where a block's attention finds the keys and values of tokens it does not compute: one block's
/// `[tokenCount, 2 · width]` rows (keys, then values) in a `TowerCache`.
struct CachedKeyValues {
    /// The block's rows; the pointer is owned by the `TowerCache` the caller holds.
    let storage: UnsafeMutablePointer<Float>
    /// Tokens of the whole sequence (prefix + patches).
    let tokenCount: Int
    /// The token index of each row the block computes.
    let rowTokens: [Int]
}

/// Activation buffers of one ViT, reused across images.
final class ViTScratch {
    let tokens = ScratchBuffer(), gathered = ScratchBuffer(), normed = ScratchBuffer(), qkv = ScratchBuffer()
    let attended = ScratchBuffer(), hidden = ScratchBuffer(), columns = ScratchBuffer()
    let attention = AttentionScratch()
}
