import Foundation

/// Seeded standard-normal samples for the initial DDIM sample `x_T`: reproducible across runs and
/// machines (SplitMix64 bits, Box–Muller transform in Double, rounded to Float).
public struct GaussianNoise: Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next `count` samples.
    public mutating func next(_ count: Int) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(count)
        while values.count < count {
            // Two uniforms in (0, 1]: 53 random bits each, never exactly zero.
            let u1 = (Double(nextBits() >> 11) + 1) / 9_007_199_254_740_992
            let u2 = Double(nextBits() >> 11) / 9_007_199_254_740_992
            let radius = (-2 * log(u1)).squareRoot()
            values.append(Float(radius * cos(2 * Double.pi * u2)))
            if values.count < count { values.append(Float(radius * sin(2 * Double.pi * u2))) }
        }
        return values
    }

    private mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
