/// A fully connected layer `y = x · Wᵀ + b` with PyTorch's `[out, in]` weight layout.
struct Linear {
    let weight: Tensor
    let bias: Tensor?
    var inFeatures: Int { weight.shape[1] }
    var outFeatures: Int { weight.shape[0] }

    init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// Loads `<prefix>.weight` `[out, in]` and, if `bias`, `<prefix>.bias` `[out]`.
    init(_ source: WeightSource, _ prefix: String, in inFeatures: Int, out outFeatures: Int, bias: Bool = true) throws {
        weight = try source.tensor("\(prefix).weight", shape: [outFeatures, inFeatures])
        self.bias = bias ? try source.tensor("\(prefix).bias", shape: [outFeatures]) : nil
    }

    /// Loads several layers that read the same input (`<prefix>.weight` `[out, in]` each, no
    /// bias) as one layer with their rows stacked, so one GEMM computes all outputs (q/k/v,
    /// gate/up). Each part is read straight into its rows of the stacked matrix.
    init(_ source: WeightSource, stacking parts: [(prefix: String, out: Int)], in inFeatures: Int) throws {
        let weight = Tensor(uninitializedShape: [parts.reduce(0) { $0 + $1.out }, inFeatures])
        var row = 0
        for part in parts {
            try source.read("\(part.prefix).weight", shape: [part.out, inFeatures], into: weight.data + row * inFeatures)
            row += part.out
        }
        self.init(weight: weight, bias: nil)
    }

    /// Multiplies output row `o` (weight row and bias) by `scale[o]` in place: folds a
    /// following element-wise scale such as LayerScale γ into the layer.
    func scaleOutputs(by scale: Tensor) {
        for o in 0 ..< outFeatures {
            let s = scale.data[o], row = weight.data + o * inFeatures
            for i in 0 ..< inFeatures { row[i] *= s }
            bias?.data[o] *= s
        }
    }

    /// `y[rows, out] = x[rows, in] · Wᵀ + b`, or `y += x · Wᵀ + b` when `accumulate` (the
    /// residual add fused into the GEMM through `beta = 1`).
    ///
    /// `weightRows` selects a contiguous block of output features (e.g. only k and v of a
    /// stacked qkv layer); `ldx`/`ldy` are row strides.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
               accumulate: Bool = false, ldx: Int? = nil, ldy: Int? = nil, weightRows: Range<Int>? = nil) {
        let selected = weightRows ?? 0 ..< outFeatures
        let n = selected.count, ldy = ldy ?? n
        var beta: Float = accumulate ? 1 : 0
        if let bias {
            let b = bias.data.advanced(by: selected.lowerBound)
            for r in 0 ..< rows {
                let row = y.advanced(by: r * ldy)
                if accumulate {
                    BLAS.add(b, to: row, count: n)
                } else {
                    row.update(from: b, count: n)
                }
            }
            beta = 1
        }
        BLAS.gemmTransposedB(m: rows, n: n, k: inFeatures, a: x, lda: ldx ?? inFeatures,
                             b: weight.data.advanced(by: selected.lowerBound * inFeatures), ldb: inFeatures,
                             c: y, ldc: ldy, beta: beta)
    }
}
