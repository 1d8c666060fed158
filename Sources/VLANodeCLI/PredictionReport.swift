import Foundation
import Inference

/// What `vla-node predict` prints: the chunk as a table, or every output as one JSON object.
struct PredictionReport: Encodable {
    let actions: [[Float]]
    let normalizedActions: [[Float]]
    let sample: [[Float]]
    let cognition: [Float]
    let inputIDs: [Int32]
    let timingsMs: [String: Double]
    let reusedVisionFeatures: Bool
    let visualTokensReused: Int
    let visualTokensRecomputed: Int
    let fullRefresh: Bool
    let gflop: Double

    enum CodingKeys: String, CodingKey {
        case actions, sample, cognition, gflop
        case normalizedActions = "normalized_actions"
        case inputIDs = "input_ids"
        case timingsMs = "timings_ms"
        case reusedVisionFeatures = "reused_vision_features"
        case visualTokensReused = "visual_tokens_reused"
        case visualTokensRecomputed = "visual_tokens_recomputed"
        case fullRefresh = "full_refresh"
    }

    /// The report of `prediction`; `loadMs` (model load) is reported as `load` with the stage timings.
    /// `patches` is the model's visual-token count (all recomputed when temporal reuse is off).
    init(_ prediction: PolicyPrediction, loadMs: Double, patches: Int) {
        actions = prediction.rows(prediction.actions)
        normalizedActions = prediction.rows(prediction.normalizedActions)
        sample = prediction.rows(prediction.sample)
        cognition = prediction.cognition
        inputIDs = prediction.inputIDs
        let t = prediction.timings
        timingsMs = ["preprocess": prediction.preprocessMilliseconds, "vision": t.vision, "projector": t.projector,
                     "llm": t.llm, "action": t.action, "post": t.post, "total": prediction.totalMilliseconds, "load": loadMs]
        reusedVisionFeatures = prediction.reusedVisionFeatures
        visualTokensReused = prediction.temporalReuse?.reused ?? 0
        visualTokensRecomputed = prediction.temporalReuse?.recomputed ?? patches
        fullRefresh = prediction.temporalReuse?.fullRefresh ?? true
        gflop = prediction.flops.total / 1e9
    }

    /// One JSON object with sorted keys.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The actions as a fixed-width table (CogACT's 7-DoF column names when the chunk has 7 columns),
    /// followed by the stage timings.
    func table() -> String {
        let width = actions.first?.count ?? 0
        let names = width == 7 ? ["x", "y", "z", "roll", "pitch", "yaw", "gripper"] : (0 ..< width).map { "a\($0)" }
        var lines = ["step" + names.map { $0.leftPadded(to: 10) }.joined()]
        for (step, row) in actions.enumerated() {
            lines.append(String(step).leftPadded(to: 4) + row.map { String(format: "%10.5f", $0) }.joined())
        }
        let order = ["preprocess", "vision", "projector", "llm", "action", "post", "total", "load"]
        lines.append("timings (ms): " + order.compactMap { key in timingsMs[key].map { String(format: "%@ %.1f", key, $0) } }
            .joined(separator: ", "))
        lines.append(String(format: "work: %.3f GFLOP; visual tokens reused %d, recomputed %d%@", gflop, visualTokensReused,
                            visualTokensRecomputed, fullRefresh ? " (full refresh)" : ""))
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
