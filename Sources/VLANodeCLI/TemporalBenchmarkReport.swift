import Foundation
import Inference

/// One frame of `bench --frames` through one model: full compute against temporal reuse.
struct TemporalStepRow: Codable {
    let setting: String
    let frame: Int
    let fullMs: Double
    let reuseMs: Double
    let fullGFLOP: Double
    let reuseGFLOP: Double
    let reused: Int
    let recomputed: Int
    let staticPatches: Int
    /// Patches that kept their vision-tower features (reuse in the towers).
    let reusedInTowers: Int
    /// Why every token was recomputed, if it was.
    let fullRefresh: String?
    /// ‖cognition(reuse) − cognition(full)‖₂ / ‖cognition(full)‖₂.
    let cognitionRelL2: Double
    /// The same for the un-normalised actions.
    let actionsRelL2: Double

    enum CodingKeys: String, CodingKey {
        case setting, frame, reused, recomputed
        case fullMs = "full_ms", reuseMs = "reuse_ms", fullGFLOP = "full_gflop", reuseGFLOP = "reuse_gflop"
        case staticPatches = "static_patches", fullRefresh = "full_refresh", reusedInTowers = "reused_in_towers"
        case cognitionRelL2 = "cognition_rel_l2", actionsRelL2 = "actions_rel_l2"
    }
}

/// One model's summary over the frames after the first (which both runs compute in full).
struct TemporalSummaryRow: Codable {
    let setting: String
    let frames: Int
    let fullMs: Double
    let reuseMs: Double
    /// Σ full ms / Σ reuse ms.
    let speedup: Double
    /// Σ dense full ms / Σ reuse ms: the speed-up over the dense model with full compute.
    let speedupOverDense: Double
    /// Σ reuse GFLOP / Σ full GFLOP, in percent.
    let flopsPct: Double
    let meanReusedShare: Double
    let meanTowerReusedShare: Double
    let fullRefreshes: Int
    let meanCognitionRelL2: Double
    let maxCognitionRelL2: Double
    let meanActionsRelL2: Double
    let maxActionsRelL2: Double

    enum CodingKeys: String, CodingKey {
        case setting, frames, speedup
        case fullMs = "full_ms_mean", reuseMs = "reuse_ms_mean", speedupOverDense = "speedup_over_dense", flopsPct = "flops_pct"
        case meanReusedShare = "reused_share_mean", meanTowerReusedShare = "towers_reused_share_mean", fullRefreshes = "full_refreshes"
        case meanCognitionRelL2 = "cognition_rel_l2_mean", maxCognitionRelL2 = "cognition_rel_l2_max"
        case meanActionsRelL2 = "actions_rel_l2_mean", maxActionsRelL2 = "actions_rel_l2_max"
    }
}

/// What `bench --frames` prints: the settings, every step and one summary per model.
struct TemporalBenchmarkReport: Encodable {
    let bag: String
    let frameStride: Int
    let settings: TemporalReuseSettings
    let steps: [TemporalStepRow]
    let summary: [TemporalSummaryRow]

    enum CodingKeys: String, CodingKey {
        case bag, settings, steps, summary
        case frameStride = "frame_stride"
    }

    /// The report, summarised against the model named `dense`.
    init(bag: String, frameStride: Int, settings: TemporalReuseSettings, steps: [TemporalStepRow], dense: String) {
        self.bag = bag
        self.frameStride = frameStride
        self.settings = settings
        self.steps = steps
        let later = steps.filter { $0.frame > 0 }
        let denseFullMs = later.filter { $0.setting == dense }.map(\.fullMs).reduce(0, +)
        var names: [String] = []
        for step in steps where !names.contains(step.setting) { names.append(step.setting) }
        summary = names.map { name in
            let rows = later.filter { $0.setting == name }
            let count = Double(max(rows.count, 1))
            let sum = { (path: KeyPath<TemporalStepRow, Double>) in rows.map { $0[keyPath: path] }.reduce(0, +) }
            return TemporalSummaryRow(
                setting: name, frames: rows.count, fullMs: sum(\.fullMs) / count, reuseMs: sum(\.reuseMs) / count,
                speedup: sum(\.fullMs) / sum(\.reuseMs), speedupOverDense: denseFullMs / sum(\.reuseMs),
                flopsPct: 100 * sum(\.reuseGFLOP) / sum(\.fullGFLOP),
                meanReusedShare: rows.map { Double($0.reused) / Double($0.reused + $0.recomputed) }.reduce(0, +) / count,
                meanTowerReusedShare: rows.map { Double($0.reusedInTowers) / Double($0.reused + $0.recomputed) }.reduce(0, +) / count,
                fullRefreshes: rows.filter { $0.fullRefresh != nil }.count,
                meanCognitionRelL2: sum(\.cognitionRelL2) / count, maxCognitionRelL2: rows.map(\.cognitionRelL2).max() ?? 0,
                meanActionsRelL2: sum(\.actionsRelL2) / count, maxActionsRelL2: rows.map(\.actionsRelL2).max() ?? 0)
        }
    }

    /// The summary as a fixed-width table.
    func table() -> String {
        let width = max(summary.map(\.setting.count).max() ?? 0, 7)
        var lines = ["setting".padding(toLength: width, withPad: " ", startingAt: 0)
            + "  frames  full ms  reuse ms  speed-up  vs dense  FLOPs %  reused  towers  refreshes  cognition rel L2 (mean/max)  actions rel L2 (mean/max)"]
        for row in summary {
            lines.append(row.setting.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %6d  %7.1f  %8.1f  %7.2f×  %7.2f×  %7.1f  %5.1f %%  %4.1f %%  %9d  %12.2e / %-12.2e  %10.2e / %-10.2e",
                         row.frames, row.fullMs, row.reuseMs, row.speedup, row.speedupOverDense, row.flopsPct, 100 * row.meanReusedShare,
                         100 * row.meanTowerReusedShare, row.fullRefreshes, row.meanCognitionRelL2, row.maxCognitionRelL2, row.meanActionsRelL2, row.maxActionsRelL2))
        }
        return lines.joined(separator: "\n")
    }
}
