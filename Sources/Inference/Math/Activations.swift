import CKernels

/// Element-wise activations, in place over `count` floats. They run in `CKernels` (8 floats at a
/// time with glibc's vector exp/erf/tanh, ≤ 4 ulp, where the CPU has AVX2 + FMA); each element's
/// result depends only on its own value, not on its position or the call's length.
enum Activations {
    /// Exact GELU `x · Φ(x) = 0.5 x (1 + erf(x/√2))` (PyTorch `nn.GELU()`), used by the ViTs and projector.
    static func geluErf(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        ParallelRows.run(rows: rows, width: width) { range in
            vla_gelu_erf(x + range.lowerBound * width, range.count * width)
        }
    }

    /// Tanh GELU `0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))` (`GELU(approximate="tanh")`), used by the DiT.
    static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        vla_gelu_tanh(x, count)
    }

    /// SiLU `x / (1 + e^{-x})` in place.
    static func silu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        vla_silu(x, count)
    }

    /// SwiGLU over a stacked `[rows, 2·width]` gate|up block: `out[r, j] = silu(gate[r, j]) · up[r, j]`.
    static func swiGLU(gateUp: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        ParallelRows.run(rows: rows, width: width) { range in
            for r in range {
                let gate = gateUp + r * 2 * width
                vla_swiglu(gate, gate + width, out + r * width, width)
            }
        }
    }
}
