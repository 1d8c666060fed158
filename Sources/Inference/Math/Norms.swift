/// Row-wise normalisations over `[rows, width]` blocks (`input` may equal `output`).
enum Norms {
    /// LayerNorm `(x − μ)/√(σ² + ε) · w + b`; `weight`/`bias` nil means no affine (DiT).
    static func layerNorm(_ input: UnsafePointer<Float>, rows: Int, width: Int, eps: Float,
                          weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                          into output: UnsafeMutablePointer<Float>) {
        let n = Float(width)
        for r in 0 ..< rows {
            let x = input.advanced(by: r * width), y = output.advanced(by: r * width)
            var sum: Float = 0
            for j in 0 ..< width { sum += x[j] }
            let mean = sum / n
            var squares: Float = 0
            for j in 0 ..< width { let d = x[j] - mean; squares += d * d }
            let inverse = 1 / (squares / n + eps).squareRoot()
            if let weight, let bias {
                for j in 0 ..< width { y[j] = (x[j] - mean) * inverse * weight[j] + bias[j] }
            } else {
                for j in 0 ..< width { y[j] = (x[j] - mean) * inverse }
            }
        }
    }

    /// RMSNorm `x / √(mean(x²) + ε) · w` (LLaMA).
    static func rmsNorm(_ input: UnsafePointer<Float>, rows: Int, width: Int, eps: Float,
                        weight: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        for r in 0 ..< rows {
            let x = input.advanced(by: r * width), y = output.advanced(by: r * width)
            var squares: Float = 0
            for j in 0 ..< width { squares += x[j] * x[j] }
            let inverse = 1 / (squares / Float(width) + eps).squareRoot()
            for j in 0 ..< width { y[j] = weight[j] * (x[j] * inverse) }
        }
    }
}
