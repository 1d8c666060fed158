import Foundation

/// The diffusion schedule and the DDIM timestep subset CogACT samples with.
///
/// Betas follow `squaredcos_cap_v2` (`β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999)` with
/// `ᾱ(s) = cos²((s + 0.008)/1.008 · π/2)`), in Float64 like the reference's NumPy tables.
/// DDIM keeps the timesteps of `space_timesteps(T, "ddimN")`: the first integer stride `i`
/// with `len(range(0, T, i)) == N`; N = 1 is special-cased to `{T/2}`.
public struct DDIMSchedule: Sendable {
    /// One DDIM step: the original timestep fed to the DiT and the Float64 coefficients.
    public struct Step: Sendable, Equatable {
        /// Original diffusion timestep (e.g. 90, 80, …, 0).
        public let timestep: Int
        /// ᾱ at `timestep`.
        public let alphaBar: Double
        /// ᾱ at the next (less noisy) kept timestep, 1 after the last one.
        public let alphaBarPrevious: Double
        /// √(1/ᾱ).
        public var sqrtRecipAlphaBar: Double { (1 / alphaBar).squareRoot() }
        /// √(1/ᾱ − 1).
        public var sqrtRecipMinusOne: Double { (1 / alphaBar - 1).squareRoot() }
    }

    /// Cumulative products ᾱ for all `diffusionSteps` training timesteps.
    public let alphasCumprod: [Double]
    /// Sampling steps in execution order (noisiest first).
    public let steps: [Step]

    /// The schedule of `ddimSteps` steps over `diffusionSteps` training steps; throws
    /// `InferenceError.unsupportedStepCount` when no uniform stride gives that count.
    public init(diffusionSteps: Int, ddimSteps: Int) throws {
        alphasCumprod = Self.squaredCosineAlphasCumprod(diffusionSteps)
        let kept = try Self.spacedTimesteps(diffusionSteps: diffusionSteps, count: ddimSteps)
        let table = alphasCumprod
        steps = kept.indices.reversed().map { i in
            Step(timestep: kept[i], alphaBar: table[kept[i]], alphaBarPrevious: i > 0 ? table[kept[i - 1]] : 1)
        }
    }

    /// ᾱ_t for t in 0..<T from the capped cosine betas.
    static func squaredCosineAlphasCumprod(_ count: Int) -> [Double] {
        func alphaBar(_ s: Double) -> Double { pow(cos((s + 0.008) / 1.008 * Double.pi / 2), 2) }
        var product = 1.0
        return (0 ..< count).map { i in
            let beta = min(1 - alphaBar(Double(i + 1) / Double(count)) / alphaBar(Double(i) / Double(count)), 0.999)
            product *= 1 - beta
            return product
        }
    }

    /// Kept timesteps, ascending.
    static func spacedTimesteps(diffusionSteps: Int, count: Int) throws -> [Int] {
        if count == 1 { return [diffusionSteps / 2] }
        for stride in 1 ..< diffusionSteps where (diffusionSteps + stride - 1) / stride == count {
            return Array(Swift.stride(from: 0, to: diffusionSteps, by: stride))
        }
        throw InferenceError.unsupportedStepCount(count, diffusionSteps: diffusionSteps)
    }
}
