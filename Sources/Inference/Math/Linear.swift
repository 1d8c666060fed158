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

    /// Stacks the rows of several layers that read the same input into one layer, so that one
    /// GEMM computes all outputs (q/k/v, gate/up).
    init(stacking parts: [Linear]) {
        let inFeatures = parts[0].inFeatures
        let rows = parts.reduce(0) { $0 + $1.outFeatures }
        let weight = Tensor(shape: [rows, inFeatures])
        let hasBias = parts.allSatisfy { $0.bias != nil }
        let bias = hasBias ? Tensor(shape: [rows]) : nil
        var row = 0
        for part in parts {
            precondition(part.inFeatures == inFeatures, "stacked layers must share the input width")
            weight.data.advanced(by: row * inFeatures).update(from: part.weight.data, count: part.weight.count)
            if let bias, let partBias = part.bias { bias.data.advanced(by: row).update(from: partBias.data, count: part.outFeatures) }
            row += part.outFeatures
        }
        self.init(weight: weight, bias: bias)
    }

    /// Multiplies output row `o` (weight row and bias) by `scale[o]`: folds a following
    /// element-wise scale such as LayerScale γ into the layer.
    func scalingOutputs(by scale: Tensor) -> Linear {
        let weight = Tensor(shape: self.weight.shape)
        let bias = self.bias.map { Tensor(shape: $0.shape) }
        for o in 0 ..< outFeatures {
            let s = scale.data[o]
            let source = self.weight.data.advanced(by: o * inFeatures), target = weight.data.advanced(by: o * inFeatures)
            for i in 0 ..< inFeatures { target[i] = source[i] * s }
            if let bias, let old = self.bias { bias.data[o] = old.data[o] * s }
        }
        return Linear(weight: weight, bias: bias)
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
                    for j in 0 ..< n { row[j] += b[j] }
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
