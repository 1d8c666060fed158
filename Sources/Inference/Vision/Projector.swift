/// Prismatic `FusedMLPProjector`: Linear(F → 4F) → GELU(erf) → Linear(4F → D) → GELU → Linear(D → D).
final class Projector {
    private let fc0: Linear, fc2: Linear, fc4: Linear
    private let hidden = ScratchBuffer(), middle = ScratchBuffer()

    init(_ source: WeightSource, fusedWidth: Int, llmWidth: Int) throws {
        fc0 = try Linear(source, "projector.projector.0", in: fusedWidth, out: 4 * fusedWidth)
        fc2 = try Linear(source, "projector.projector.2", in: 4 * fusedWidth, out: llmWidth)
        fc4 = try Linear(source, "projector.projector.4", in: llmWidth, out: llmWidth)
    }

    /// Projects `features` `[rows, F]` into `out` `[rows, D]`.
    func apply(_ features: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let h = hidden.reserve(rows * fc0.outFeatures)
        fc0.apply(features, rows: rows, into: h)
        Activations.geluErf(h, rows: rows, width: fc0.outFeatures)
        let m = middle.reserve(rows * fc2.outFeatures)
        fc2.apply(h, rows: rows, into: m)
        Activations.geluErf(m, rows: rows, width: fc2.outFeatures)
        fc4.apply(m, rows: rows, into: out)
    }
}
