/// A fully connected layer `y = x · Wᵀ + b` with PyTorch's `[out, in]` weight layout.
///
/// The weight stays in its stored type (F32, F16 or BF16, memory-mapped from the checkpoint);
/// `PanelGEMM` widens it block by block. The bias is small and kept as F32.
struct Linear {
    let weight: WeightMatrix
    let bias: Tensor?
    var inFeatures: Int { weight.inFeatures }
    var outFeatures: Int { weight.outFeatures }

    init(weight: WeightMatrix, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// Loads `<prefix>.weight` `[out, in]` and, if `bias`, `<prefix>.bias` `[out]`.
    init(_ source: WeightSource, _ prefix: String, in inFeatures: Int, out outFeatures: Int, bias: Bool = true) throws {
        weight = WeightMatrix(try source.matrix("\(prefix).weight", shape: [outFeatures, inFeatures]))
        self.bias = bias ? try source.tensor("\(prefix).bias", shape: [outFeatures]) : nil
    }

    /// Loads several layers that read the same input (`<prefix>.weight` `[out, in]` each, no
    /// bias) as one layer with their rows stacked, so one GEMM computes all outputs (q/k/v,
    /// gate/up). The parts stay where they are stored; only the GEMM sees them stacked.
    init(_ source: WeightSource, stacking parts: [(prefix: String, out: Int)], in inFeatures: Int) throws {
        let matrices = try parts.map { try source.matrix("\($0.prefix).weight", shape: [$0.out, inFeatures]) }
        self.init(weight: WeightMatrix(stacking: matrices), bias: nil)
    }

    /// This layer followed by an element-wise scale of its outputs (LayerScale γ) as one layer:
    /// weight row `o` and bias `o` multiplied by `scale[o]`.
    func scalingOutputs(by scale: Tensor) -> Linear {
        let factors = scale.array
        var scaledBias: Tensor?
        if let bias {
            let copy = Tensor(uninitializedShape: bias.shape)
            for o in 0 ..< outFeatures { copy.data[o] = bias.data[o] * factors[o] }
            scaledBias = copy
        }
        return Linear(weight: weight.scalingRows(by: factors), bias: scaledBias)
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
        PanelGEMM.multiply(m: rows, x: x, ldx: ldx ?? inFeatures, weight: weight, outputRows: selected,
                           into: y, ldy: ldy, beta: beta)
    }
}
