/// The result of one DDIM sampling run.
public struct ActionSample: Sendable {
    /// Original timesteps, in execution order.
    public let timesteps: [Int]
    /// Guided ε at each step, `[horizon·actionDim]` each.
    public let eps: [[Float]]
    /// The sample after each step; the last one is the final (unclipped) normalised action chunk.
    public let samples: [[Float]]

    /// The final sample `[horizon·actionDim]`, before clipping.
    public var final: [Float] { samples.last ?? [] }
}

/// Deterministic DDIM (η = 0, no x₀ clipping) with classifier-free guidance, as in CogACT's
/// `ddim_sample_loop` over `forward_with_cfg`. Coefficients come from Float64 tables and are
/// cast to Float32 before use, like the reference.
struct DDIMSampler {
    let schedule: DDIMSchedule

    /// Samples from `noise` (`x_T`). `predict(x, t, eps)` writes `[batch, n]` ε; with guidance
    /// (`cfgScale > 1`) batch row 0 is conditional and row 1 unconditional. `inpainting` (checked by
    /// the caller) pulls rows towards a target before the first step and after every step.
    func sample(noise: [Float], cfgScale: Float, inpainting: ActionInpainting? = nil,
                predict: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void) -> ActionSample {
        let n = noise.count, guided = cfgScale > 1
        var x = noise
        if let first = schedule.steps.first { inpainting?.apply(to: &x, noise: noise, alphaBar: first.alphaBar) }
        var raw = [Float](repeating: 0, count: (guided ? 2 : 1) * n)
        var epsHistory: [[Float]] = [], sampleHistory: [[Float]] = []
        for step in schedule.steps {
            x.withUnsafeBufferPointer { x in
                raw.withUnsafeMutableBufferPointer { predict(x.baseAddress!, step.timestep, $0.baseAddress!) }
            }
            let eps = guided ? (0 ..< n).map { raw[n + $0] + cfgScale * (raw[$0] - raw[n + $0]) } : Array(raw[0 ..< n])
            let sqrtRecip = Float(step.sqrtRecipAlphaBar), sqrtRecipMinusOne = Float(step.sqrtRecipMinusOne)
            let previous = Float(step.alphaBarPrevious)
            let keepScale = previous.squareRoot(), noiseScale = (1 - previous).squareRoot()
            for i in 0 ..< n {
                let start = sqrtRecip * x[i] - sqrtRecipMinusOne * eps[i]
                let rederived = (sqrtRecip * x[i] - start) / sqrtRecipMinusOne
                x[i] = start * keepScale + noiseScale * rederived
            }
            inpainting?.apply(to: &x, noise: noise, alphaBar: step.alphaBarPrevious)
            epsHistory.append(eps)
            sampleHistory.append(x)
        }
        return ActionSample(timesteps: schedule.steps.map(\.timestep), eps: epsHistory, samples: sampleHistory)
    }
}
