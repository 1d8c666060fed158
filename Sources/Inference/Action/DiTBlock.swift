/// One DiT block with in-context conditioning (no adaLN):
/// `x += attn(LN(x)); x += mlp(LN(x))`, LayerNorm without affine (ε 1e-6), tanh-GELU MLP.
///
/// The two residual branches are separate calls so a diffusion-step cache (EfficientVLA)
/// can store and re-add them without recomputing.
struct DiTBlock {
    static let layerNormEps: Float = 1e-6
    let qkv: Linear, proj: Linear, fc1: Linear, fc2: Linear

    init(_ source: WeightSource, prefix: String, hidden: Int) throws {
        qkv = try Linear(source, "\(prefix).attn.qkv", in: hidden, out: 3 * hidden)
        proj = try Linear(source, "\(prefix).attn.proj", in: hidden, out: hidden)
        fc1 = try Linear(source, "\(prefix).mlp.fc1", in: hidden, out: 4 * hidden)
        fc2 = try Linear(source, "\(prefix).mlp.fc2", in: 4 * hidden, out: hidden)
    }

    /// `branch = proj(attn(LN(x)))` for `batch` independent sequences of `tokens` rows each.
    func attentionBranch(_ x: UnsafePointer<Float>, batch: Int, tokens: Int, heads: Int,
                         scratch: DiTScratch, into branch: UnsafeMutablePointer<Float>) {
        let h = proj.inFeatures, rows = batch * tokens
        let normed = scratch.normed.reserve(rows * h)
        Norms.layerNorm(x, rows: rows, width: h, eps: Self.layerNormEps, weight: nil, bias: nil, into: normed)
        let qkvOut = scratch.qkv.reserve(rows * 3 * h)
        qkv.apply(normed, rows: rows, into: qkvOut)
        let attended = scratch.attended.reserve(rows * h)
        let geometry = AttentionHeads(heads: heads, headDim: h / heads)
        for b in 0 ..< batch {
            let base = qkvOut + b * tokens * 3 * h
            Attention.compute(q: base, ldq: 3 * h, k: base + h, ldk: 3 * h, v: base + 2 * h, ldv: 3 * h,
                              queryRows: tokens, keyRows: tokens, heads: geometry, mask: .bidirectional,
                              out: attended + b * tokens * h, ldo: h, scratch: scratch.attention)
        }
        proj.apply(attended, rows: rows, into: branch)
    }

    /// `branch = fc2(GELU_tanh(fc1(LN(x))))` over `rows` rows.
    func mlpBranch(_ x: UnsafePointer<Float>, rows: Int, scratch: DiTScratch, into branch: UnsafeMutablePointer<Float>) {
        let h = fc1.inFeatures
        let normed = scratch.normed.reserve(rows * h)
        Norms.layerNorm(x, rows: rows, width: h, eps: Self.layerNormEps, weight: nil, bias: nil, into: normed)
        let hidden = scratch.hidden.reserve(rows * fc1.outFeatures)
        fc1.apply(normed, rows: rows, into: hidden)
        Activations.geluTanh(hidden, count: rows * fc1.outFeatures)
        fc2.apply(hidden, rows: rows, into: branch)
    }

    /// The full block, in place on `x`. With `cached` branch buffers, `refresh` computes the
    /// branches into them; otherwise the stored branches are re-added without any compute
    /// (`x += C_attn; x += C_mlp`, EfficientVLA Eqs. 10–11).
    func apply(_ x: UnsafeMutablePointer<Float>, batch: Int, tokens: Int, heads: Int, scratch: DiTScratch,
               cached: (attention: Tensor, mlp: Tensor)? = nil, refresh: Bool = true) {
        let rows = batch * tokens, count = rows * proj.outFeatures
        let attention = cached?.attention.data ?? scratch.branch.reserve(count)
        if refresh { attentionBranch(x, batch: batch, tokens: tokens, heads: heads, scratch: scratch, into: attention) }
        BLAS.add(attention, to: x, count: count)
        let mlp = cached?.mlp.data ?? attention
        if refresh { mlpBranch(x, rows: rows, scratch: scratch, into: mlp) }
        BLAS.add(mlp, to: x, count: count)
    }
}

/// Activation buffers of the DiT, reused across denoising steps.
final class DiTScratch {
    let tokens = ScratchBuffer(), normed = ScratchBuffer(), qkv = ScratchBuffer(), attended = ScratchBuffer()
    let hidden = ScratchBuffer(), branch = ScratchBuffer(), attention = AttentionScratch(), timestep = ScratchBuffer()
}
