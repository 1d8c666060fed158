#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element-wise activations, in place over `count` floats.
enum Activations {
    /// Exact GELU `x · Φ(x) = 0.5 x (1 + erf(x/√2))` (PyTorch `nn.GELU()`), used by the ViTs and projector.
    static func geluErf(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let invSqrt2: Float = 0.70710678118654752
        ParallelRows.run(rows: rows, width: width) { range in
            for i in range.lowerBound * width ..< range.upperBound * width {
                let v = x[i]
                x[i] = 0.5 * v * (1 + erff(v * invSqrt2))
            }
        }
    }

    /// Tanh GELU `0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))` (`GELU(approximate="tanh")`), used by the DiT.
    static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let k: Float = 0.79788456080286536
        for i in 0 ..< count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + tanhf(k * (v + 0.044715 * v * v * v)))
        }
    }

    /// SiLU `x / (1 + e^{-x})` in place.
    static func silu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0 ..< count {
            let v = x[i]
            x[i] = v / (1 + expf(-v))
        }
    }

    /// SwiGLU over a stacked `[rows, 2·width]` gate|up block: `out[r, j] = silu(gate[r, j]) · up[r, j]`.
    static func swiGLU(gateUp: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        ParallelRows.run(rows: rows, width: width) { range in
            for r in range {
                let gate = gateUp + r * 2 * width, up = gate + width
                let target = out + r * width
                for j in 0 ..< width {
                    let g = gate[j]
                    target[j] = g / (1 + expf(-g)) * up[j]
                }
            }
        }
    }
}
