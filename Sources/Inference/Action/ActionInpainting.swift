import Foundation

/// Training-free inpainting of an action chunk during DDIM sampling, for real-time chunking (Black et
/// al. 2025, arXiv 2506.07339, adapted to DDIM without training): rows of the chunk that will be
/// executed from the previous chunk while this one is computed are pulled towards the previous
/// chunk's values, so the new chunk continues it instead of jumping.
///
/// Before the first step and after every step, with ᾱ the noise level the sample is at, row r becomes
/// `w_r · (√ᾱ · target_r + √(1 − ᾱ) · ε_r) + (1 − w_r) · x_r`, where ε is the chunk's initial noise
/// `x_T` (so the forced rows carry the same noise the sampler started from). After the last step
/// ᾱ = 1, so rows with weight 1 end exactly on the target.
public struct ActionInpainting: Equatable, Sendable {
    /// The previous chunk's normalised sample on this chunk's time base, `[horizon · actionDim]`
    /// (rows without a previous value are ignored: their weight must be 0).
    public let target: [Float]
    /// One weight in [0, 1] per row: 1 freezes the row on the target, 0 leaves it to the model.
    public let weights: [Float]

    /// Inpainting towards `target` with per-row `weights`.
    public init(target: [Float], weights: [Float]) {
        self.target = target
        self.weights = weights
    }

    /// RTC's soft mask: 1 for the `frozenRows` rows executed during the inference, then
    /// `c · (eᶜ − 1) / (e − 1)` with `c = (overlap − r) / (overlap − frozenRows + 1)` down to the last
    /// row the previous chunk covers (`overlap` rows in all), 0 after it.
    public static func weights(horizon: Int, frozenRows: Int, overlapRows: Int) -> [Float] {
        let overlap = min(max(overlapRows, 0), horizon), frozen = min(max(frozenRows, 0), overlap)
        return (0 ..< horizon).map { row in
            if row < frozen { return 1 }
            guard row < overlap else { return 0 }
            let c = Double(overlap - row) / Double(overlap - frozen + 1)
            return Float(c * (exp(c) - 1) / (exp(1) - 1))
        }
    }

    /// Checks the sizes and weights against a chunk of `rows × dimension` values.
    /// - Throws: `InferenceError.invalidInpainting` saying what is wrong.
    func validate(rows: Int, dimension: Int) throws {
        guard target.count == rows * dimension else {
            throw InferenceError.invalidInpainting("target has \(target.count) values, the chunk has \(rows * dimension)")
        }
        guard weights.count == rows else {
            throw InferenceError.invalidInpainting("\(weights.count) weights for \(rows) rows")
        }
        guard weights.allSatisfy({ (0 ... 1).contains($0) }), target.allSatisfy(\.isFinite) else {
            throw InferenceError.invalidInpainting("weights must be in [0, 1] and the target finite")
        }
    }

    /// Pulls `x` towards the target at noise level `alphaBar`, with `noise` as ε.
    func apply(to x: inout [Float], noise: [Float], alphaBar: Double) {
        let dimension = x.count / max(weights.count, 1)
        let keep = Float(alphaBar.squareRoot()), spread = Float((1 - alphaBar).squareRoot())
        for (row, weight) in weights.enumerated() where weight > 0 {
            for i in (row * dimension) ..< ((row + 1) * dimension) {
                x[i] = weight * (keep * target[i] + spread * noise[i]) + (1 - weight) * x[i]
            }
        }
    }
}
