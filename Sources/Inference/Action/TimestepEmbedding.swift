#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// DiT `TimestepEmbedder.timestep_embedding`: `[cos(t·f_k), sin(t·f_k)]` with
/// `f_k = exp(−ln(10000)·k/half)`, cos first, computed in Float32 as PyTorch does.
public enum TimestepEmbedding {
    /// Width of the sinusoid fed to the timestep MLP.
    public static let frequencyDimension = 256
    static let maxPeriod: Float = 10000

    /// The sinusoid of timestep `t` (`dimension` values).
    public static func sinusoid(_ t: Int, dimension: Int = frequencyDimension) -> [Float] {
        let half = dimension / 2
        var out = [Float](repeating: 0, count: dimension)
        let logPeriod = -logf(maxPeriod)
        for k in 0 ..< half {
            let frequency = expf(logPeriod * Float(k) / Float(half))
            let angle = Float(t) * frequency
            out[k] = cosf(angle)
            out[half + k] = sinf(angle)
        }
        return out
    }
}
