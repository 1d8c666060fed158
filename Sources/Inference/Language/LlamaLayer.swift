/// One LLaMA decoder layer:
/// `h += o(Attn(RoPE(q(n)), RoPE(k(n)), v(n)))` with `n = RMSNorm₁(h)`, then
/// `h += down(silu(gate(m)) · up(m))` with `m = RMSNorm₂(h)`.
/// q/k/v and gate/up are stacked (as views of the stored matrices) so each is one GEMM; both residual adds are fused
/// into the output GEMMs.
struct LlamaLayer {
    let inputNorm: Tensor
    let postAttentionNorm: Tensor
    /// Rows: q (heads·d), k (kvHeads·d), v (kvHeads·d).
    let qkv: Linear
    let output: Linear
    /// Rows: gate (intermediate), up (intermediate).
    let gateUp: Linear
    let down: Linear

    /// Loads layer `index`; with `keepChannels` only those MLP channels (gate/up rows, down
    /// columns) are computed (EfficientVLA MLP width pruning). The pruned layer selects them
    /// while widening its panels: no compact copy is made, pruned gate/up rows are never read
    /// (their pages never become resident), and the down projection's pruned columns are skipped.
    init(_ source: WeightSource, index: Int, config: LlamaConfig, keepChannels: [Int]? = nil) throws {
        let prefix = "llm_backbone.llm.model.layers.\(index)"
        let d = config.hidden, kv = config.kvHeads * config.headDim
        inputNorm = try source.tensor("\(prefix).input_layernorm.weight", shape: [d])
        postAttentionNorm = try source.tensor("\(prefix).post_attention_layernorm.weight", shape: [d])
        qkv = try Linear(source, stacking: [("\(prefix).self_attn.q_proj", d), ("\(prefix).self_attn.k_proj", kv),
                                            ("\(prefix).self_attn.v_proj", kv)], in: d)
        output = try Linear(source, "\(prefix).self_attn.o_proj", in: d, out: d, bias: false)
        guard let keep = keepChannels else {
            gateUp = try Linear(source, stacking: [("\(prefix).mlp.gate_proj", config.intermediate),
                                                   ("\(prefix).mlp.up_proj", config.intermediate)], in: d)
            down = try Linear(source, "\(prefix).mlp.down_proj", in: config.intermediate, out: d, bias: false)
            return
        }
        let gate = try source.matrix("\(prefix).mlp.gate_proj.weight", shape: [config.intermediate, d])
        let up = try source.matrix("\(prefix).mlp.up_proj.weight", shape: [config.intermediate, d])
        gateUp = Linear(weight: WeightMatrix(stacking: [gate, up], keepRows: keep), bias: nil)
        down = Linear(weight: WeightMatrix(try source.matrix("\(prefix).mlp.down_proj.weight", shape: [d, config.intermediate]),
                                           keepColumns: keep), bias: nil)
    }

    /// MLP channels this layer computes (the intermediate width after any pruning).
    var mlpWidth: Int { down.inFeatures }

    /// Runs the layer in place on `h` `[rows, hidden]`. Rows before `firstQueryRow` serve only
    /// as keys/values: their outputs are not computed and keep the layer input.
    /// `activationSink` receives `silu(gate)·up` `[queries, mlpWidth]` (calibration).
    ///
    /// With `reusedKeyValues` the attention sequence also holds rows that are not in `h` (temporal
    /// reuse): their keys and values are already in the buffer, the rows of `h` write theirs at
    /// their key indices, and each query sees the keys up to its own key index. Without it the
    /// rows of `h` are the whole sequence and their keys/values stay in `scratch.qkv`
    /// (`[rows, qkvWidth]`, K after RoPE) until the next layer.
    func apply(_ h: UnsafeMutablePointer<Float>, rows: Int, firstQueryRow: Int, rope: RoPETable,
               config: LlamaConfig, scratch: LlamaScratch, probabilitySink: Attention.ProbabilitySink?,
               activationSink: ((UnsafeBufferPointer<Float>, Int, Int) -> Void)? = nil,
               reusedKeyValues: ReusedKeyValues? = nil) {
        let d = config.hidden, headDim = config.headDim
        let qWidth = config.heads * headDim, kvWidth = config.kvHeads * headDim, width = qWidth + 2 * kvWidth
        let queries = rows - firstQueryRow

        let normed = scratch.normed.reserve(rows * d)
        Norms.rmsNorm(h, rows: rows, width: d, eps: config.rmsNormEps, weight: inputNorm.data, into: normed)
        let qkvOut = scratch.qkv.reserve(rows * width)
        if firstQueryRow == 0 {
            qkv.apply(normed, rows: rows, into: qkvOut)
        } else {
            qkv.apply(normed, rows: rows, into: qkvOut + qWidth, ldy: width, weightRows: qWidth ..< width)
            qkv.apply(normed + firstQueryRow * d, rows: queries, into: qkvOut + firstQueryRow * width,
                      ldy: width, weightRows: 0 ..< qWidth)
        }
        let q = qkvOut + firstQueryRow * width, k = qkvOut + qWidth, v = k + kvWidth
        rope.apply(q, rows: queries, ld: width, heads: config.heads, firstRow: firstQueryRow)
        rope.apply(k, rows: rows, ld: width, heads: config.kvHeads)

        let attended = scratch.attended.reserve(queries * qWidth)
        let heads = AttentionHeads(heads: config.heads, kvHeads: config.kvHeads, headDim: headDim)
        if let reused = reusedKeyValues {
            let stride = 2 * kvWidth
            for (row, key) in reused.keyIndices.enumerated() {
                (reused.buffer + key * stride).update(from: k + row * width, count: kvWidth)
                (reused.buffer + key * stride + kvWidth).update(from: v + row * width, count: kvWidth)
            }
            Attention.compute(q: q, ldq: width, k: reused.buffer, ldk: stride, v: reused.buffer + kvWidth, ldv: stride,
                              queryRows: queries, keyRows: reused.keyRows, heads: heads,
                              mask: .causalAt(keyIndices: Array(reused.keyIndices[firstQueryRow...])), out: attended, ldo: qWidth,
                              scratch: scratch.attention, probabilitySink: probabilitySink)
        } else {
            Attention.compute(q: q, ldq: width, k: k, ldk: width, v: v, ldv: width, queryRows: queries, keyRows: rows,
                              heads: heads, mask: .causal(firstKey: firstQueryRow), out: attended, ldo: qWidth,
                              scratch: scratch.attention, probabilitySink: probabilitySink)
        }
        let hq = h + firstQueryRow * d
        output.apply(attended, rows: queries, into: hq, accumulate: true)

        Norms.rmsNorm(hq, rows: queries, width: d, eps: config.rmsNormEps, weight: postAttentionNorm.data, into: normed)
        let channels = mlpWidth
        let gateUpOut = scratch.gateUp.reserve(queries * 2 * channels)
        gateUp.apply(normed, rows: queries, into: gateUpOut)
        let activated = scratch.activated.reserve(queries * channels)
        Activations.swiGLU(gateUp: gateUpOut, rows: queries, width: channels, into: activated)
        activationSink?(UnsafeBufferPointer(start: activated, count: queries * channels), queries, channels)
        down.apply(activated, rows: queries, into: hq, accumulate: true)
    }
}

/// The keys and values of a layer's whole attention sequence when only some of its rows are
/// recomputed (temporal reuse).
struct ReusedKeyValues {
    /// `[keyRows, 2·kvWidth]`: each row's key (after RoPE), then its value.
    let buffer: UnsafeMutablePointer<Float>
    /// Rows of the attention sequence.
    let keyRows: Int
    /// The key index of each recomputed row, ascending.
    let keyIndices: [Int]
}

/// Activation buffers of the LLaMA prefill, reused across calls.
final class LlamaScratch {
    let sequence = ScratchBuffer(), normed = ScratchBuffer(), qkv = ScratchBuffer()
    /// The whole sequence's keys/values under temporal reuse, and the sequence's states for an observer.
    let keyValues = ScratchBuffer(), merged = ScratchBuffer()
    let attended = ScratchBuffer(), attention = AttentionScratch(), gateUp = ScratchBuffer(), activated = ScratchBuffer()
}
