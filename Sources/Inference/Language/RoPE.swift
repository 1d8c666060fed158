#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding in the Hugging Face "rotate_half" layout: each head's first and
/// second halves form the (real, imaginary) pairs. Positions are explicit, so a pruned
/// sequence keeps the original position ids of its rows.
struct RoPETable {
    let half: Int
    /// `[rows, half]` cosines and sines of `position · θ^(−2i/headDim)`.
    private(set) var cosines: [Float] = []
    private(set) var sines: [Float] = []

    /// Computed in Float32 as Hugging Face LLaMA does (inv_freq and the products are fp32).
    init(positions: [Int], headDim: Int, theta: Float) {
        half = headDim / 2
        let inverseFrequencies = (0 ..< half).map { 1 / powf(theta, Float(2 * $0) / Float(headDim)) }
        cosines.reserveCapacity(positions.count * half)
        sines.reserveCapacity(positions.count * half)
        for position in positions {
            for frequency in inverseFrequencies {
                let angle = Float(position) * frequency
                cosines.append(cosf(angle))
                sines.append(sinf(angle))
            }
        }
    }

    /// Rotates `heads` heads of `rows` rows in place; row `r` of `x` (stride `ld`) uses table row `firstRow + r`.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, ld: Int, heads: Int, firstRow: Int = 0) {
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                for r in 0 ..< rows {
                    let c = cosines.baseAddress! + (firstRow + r) * half, s = sines.baseAddress! + (firstRow + r) * half
                    for h in 0 ..< heads {
                        let head = x + r * ld + h * 2 * half
                        for i in 0 ..< half {
                            let a = head[i], b = head[i + half]
                            head[i] = a * c[i] - b * s[i]
                            head[i + half] = b * c[i] + a * s[i]
                        }
                    }
                }
            }
        }
    }
}
