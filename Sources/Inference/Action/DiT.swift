/// CogACT's DiT action head (`action_model.net`): in-context conditioning with one prefix
/// token `t_emb(t) + z_emb(c)` before the `horizon` embedded noisy actions, learned positions,
/// `depth` blocks, then LN (no affine) → Linear to ε. Classifier-free guidance runs the
/// condition and the learned null condition (`z_embedder.uncondition`) as one batch of two.
///
/// Thread safety: reuses its own activation buffers; one sampling call at a time.
public final class DiffusionTransformer {
    /// The head's architecture and sampler settings.
    public let config: ActionConfig
    private let xEmbedder: Linear
    private let timestepIn: Linear, timestepOut: Linear
    private let zEmbedder: Linear
    private let uncondition: Tensor
    private let positions: Tensor
    let blocks: [DiTBlock]
    private let finalLinear: Linear
    private let scratch = DiTScratch()

    init(_ source: WeightSource, config: ActionConfig, conditionWidth: Int) throws {
        self.config = config
        let prefix = "action_model.net", h = config.hidden
        xEmbedder = try Linear(source, "\(prefix).x_embedder.linear", in: config.actionDim, out: h)
        timestepIn = try Linear(source, "\(prefix).t_embedder.mlp.0", in: TimestepEmbedding.frequencyDimension, out: h)
        timestepOut = try Linear(source, "\(prefix).t_embedder.mlp.2", in: h, out: h)
        zEmbedder = try Linear(source, "\(prefix).z_embedder.linear", in: conditionWidth, out: h)
        uncondition = try source.tensor("\(prefix).z_embedder.uncondition", shape: [1, conditionWidth])
        positions = try source.tensor("\(prefix).positional_embedding", shape: [config.horizon + 1, h])
        blocks = try (0 ..< config.depth).map { try DiTBlock(source, prefix: "\(prefix).blocks.\($0)", hidden: h) }
        finalLinear = try Linear(source, "\(prefix).final_layer.linear", in: h, out: config.actionDim)
    }

    /// Tokens per sequence: the condition token plus the actions.
    var tokens: Int { config.horizon + 1 }

    /// Projected conditions `[batch, hidden]`: `[z(c)]`, or `[z(c); z(uncondition)]` when `guided`.
    func conditions(cognition: [Float], guided: Bool) -> [Float] {
        let batch = guided ? 2 : 1
        let input = cognition + (guided ? uncondition.array : [])
        var out = [Float](repeating: 0, count: batch * config.hidden)
        input.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { zEmbedder.apply(input.baseAddress!, rows: batch, into: $0.baseAddress!) }
        }
        return out
    }

    /// A branch cache for one sampling call with `batch` sequences.
    func makeCache(schedule: DiTCacheSchedule, batch: Int) -> DiTBranchCache {
        DiTBranchCache(schedule: schedule, blocks: blocks.count, count: batch * tokens * config.hidden)
    }

    /// Predicted ε `[batch, horizon, actionDim]` for the noisy actions `x` `[horizon, actionDim]`
    /// (shared by every batch row) at timestep `t`, one row per projected condition. With a
    /// `cache`, the blocks compute only on the schedule's steps and re-add cached branches on
    /// the others; `step` is the 0-based step counter of the sampling loop.
    func predictNoise(x: UnsafePointer<Float>, timestep t: Int, conditions: [Float], batch: Int,
                      into eps: UnsafeMutablePointer<Float>, cache: DiTBranchCache? = nil, step: Int = 0) {
        let tokensBuffer = scratch.tokens.reserve(batch * tokens * config.hidden)
        embed(x, timestep: t, conditions: conditions, batch: batch, into: tokensBuffer)
        let refresh = cache?.schedule.computes(step: step) ?? true
        for (index, block) in blocks.enumerated() {
            block.apply(tokensBuffer, batch: batch, tokens: tokens, heads: config.heads, scratch: scratch,
                        cached: cache.map { ($0.attention[index], $0.mlp[index]) }, refresh: refresh)
        }
        readout(tokensBuffer, batch: batch, into: eps)
    }

    /// The block input `[batch·tokens, hidden]`: `[t_emb + condition; x_emb(actions)]` + positions.
    func embed(_ x: UnsafePointer<Float>, timestep t: Int, conditions: [Float], batch: Int,
               into tokensBuffer: UnsafeMutablePointer<Float>) {
        let h = config.hidden
        let embedded = tokensBuffer + h
        xEmbedder.apply(x, rows: config.horizon, into: embedded)
        let timestepEmbedding = embedTimestep(t)
        for b in 1 ..< max(batch, 1) {
            (tokensBuffer + (b * tokens + 1) * h).update(from: embedded, count: config.horizon * h)
        }
        for b in 0 ..< batch {
            let sequence = tokensBuffer + b * tokens * h
            for j in 0 ..< h { sequence[j] = timestepEmbedding[j] + conditions[b * h + j] }
            BLAS.add(positions.data, to: sequence, count: tokens * h)
        }
    }

    /// ε `[batch, horizon, actionDim]` from the last block's output: LN (no affine) → final linear
    /// on the action tokens.
    func readout(_ tokensBuffer: UnsafePointer<Float>, batch: Int, into eps: UnsafeMutablePointer<Float>) {
        let h = config.hidden, rows = batch * tokens
        let normed = scratch.normed.reserve(rows * h)
        Norms.layerNorm(tokensBuffer, rows: rows, width: h, eps: DiTBlock.layerNormEps, weight: nil, bias: nil, into: normed)
        for b in 0 ..< batch {
            finalLinear.apply(normed + (b * tokens + 1) * h, rows: config.horizon, into: eps + b * config.horizon * config.actionDim)
        }
    }

    /// `Linear(SiLU(Linear(sinusoid(t))))`.
    private func embedTimestep(_ t: Int) -> UnsafeMutablePointer<Float> {
        let h = config.hidden
        let buffer = scratch.timestep.reserve(2 * h)
        TimestepEmbedding.sinusoid(t).withUnsafeBufferPointer { timestepIn.apply($0.baseAddress!, rows: 1, into: buffer) }
        Activations.silu(buffer, count: h)
        timestepOut.apply(buffer, rows: 1, into: buffer + h)
        return buffer + h
    }
}
