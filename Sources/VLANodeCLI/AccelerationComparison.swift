import Foundation
import Inference

/// `vla-node bench --accel`: every setting on the same input and noise, one table.
///
/// Timing is interleaved so that load from other processes on a shared machine hits dense and
/// accelerated runs alike: the run-time-only settings (token budget, DiT cache) take turns on
/// the dense model through `updateRuntimeAcceleration`; each setting that changes what is
/// loaded (dropped layers, MLP channels) gets its own model, built while the dense model stays
/// loaded, and alternates run by run with dense. Its speed-up is against the dense runs of its
/// own rounds. Every model shares the dense model's weight matrices (`BenchModels`), so even
/// CogACT-Base fits twice. RSS: the process peak is reset (`/proc/self/clear_refs`) before each
/// setting; a load-time setting's `rss_mb` is that peak minus the dense model's weight bytes plus
/// the bytes of the matrices the setting uses, i.e. the peak the setting would have on its own.
struct AccelerationComparison {
    let bench: BenchCommand
    let models: BenchModels
    let input: BenchmarkInput
    var config: ModelConfig { models.config }

    /// The paper drops 10 of 32 layers; the same share of this preset's layers.
    var paperDrop: Int { Self.paperDrop(layers: config.llm.layers) }

    /// 10 of 32 layers as a share of `layers`.
    static func paperDrop(layers: Int) -> Int { Int((Double(layers) * 10 / 32).rounded()) }

    /// The paper's combined setting for a model of `layers` layers: drop 10 of 32 by `calibration`,
    /// 75 % of the MLP channels, 56 visual tokens, DiT cache interval 5.
    static func paperCombined(_ calibration: CalibrationResult, layers: Int) -> AccelerationSettings {
        var combined = calibration.settings(dropCount: paperDrop(layers: layers), mlpKeepRatio: 0.75)
        combined.visualTokens = 56
        combined.cacheInterval = 5
        return combined
    }
    /// A more aggressive share: 14 of 32.
    var aggressiveDrop: Int { Int((Double(config.llm.layers) * 14 / 32).rounded()) }

    func run() throws -> [AccelerationBenchmarkRow] {
        let (dense, denseWeightBytes) = try models.build(.dense)
        bench.log("calibrating layer and MLP-channel scores on the synthetic input with the dense model")
        let calibration = try BenchCommand.calibrate(dense, input: input)
        bench.log("layer importance: " + calibration.layerImportance.map { String(format: "%.4f", $0) }.joined(separator: " "))
        let denseFLOPs = dense.flopCount(tokenCount: input.inputIDs.count).total

        let runtime: [(String, AccelerationSettings)] = [("dense", .dense), ("tokens: K=112", AccelerationSettings(visualTokens: 112)),
                                                          ("tokens: K=56", AccelerationSettings(visualTokens: 56)),
                                                          ("cache: N=5", AccelerationSettings(cacheInterval: 5))]
        ProcessMemory.resetPeak()
        let runtimeResults = try AccelerationBenchmark.interleaved(runtime.map { _, settings in
            { try dense.updateRuntimeAcceleration(settings); return try input.forward(dense) }
        }, runs: bench.runs)
        try dense.updateRuntimeAcceleration(.dense)
        let reference = runtimeResults[0]
        let denseRSS = Double(ProcessMemory.peakResidentBytes ?? 0)
        var rows = zip(runtime, runtimeResults).map { named, result in
            row(named.0, flops: FLOPCount(config: config, tokenCount: input.inputIDs.count, acceleration: named.1).total / denseFLOPs,
                result: result, denseMs: reference.medianMs, reference: reference.prediction, rss: denseRSS)
        }

        for (name, settings) in try loadTimeSettings(calibration) {
            ProcessMemory.resetPeak()
            let (model, weightBytes) = try models.build(settings)
            let results = try AccelerationBenchmark.interleaved([{ try input.forward(dense) }, { try input.forward(model) }], runs: bench.runs)
            let rss = Double(ProcessMemory.peakResidentBytes ?? 0) - Double(denseWeightBytes - weightBytes)
            rows.append(row(name, flops: model.flopCount(tokenCount: input.inputIDs.count).total / denseFLOPs, result: results[1],
                            denseMs: results[0].medianMs, reference: reference.prediction, rss: rss))
        }
        return rows
    }

    /// Settings that need their own model: layer and MLP pruning alone, the paper's
    /// combination, a more aggressive one, and the command line's switches if any.
    private func loadTimeSettings(_ calibration: CalibrationResult) throws -> [(String, AccelerationSettings)] {
        let combined = Self.paperCombined(calibration, layers: config.llm.layers)
        var aggressive = calibration.settings(dropCount: aggressiveDrop, mlpKeepRatio: 0.5)
        aggressive.visualTokens = 32
        aggressive.cacheInterval = 10
        var settings: [(String, AccelerationSettings)] = [
            ("layers: drop \(paperDrop)/\(config.llm.layers)", calibration.settings(dropCount: paperDrop)),
            ("mlp: keep 0.75", calibration.settings(dropCount: 0, mlpKeepRatio: 0.75)),
            ("combined (paper): drop \(paperDrop), K=56, N=5, MLP 0.75", combined),
            ("aggressive: drop \(aggressiveDrop), K=32, N=10, MLP 0.5", aggressive),
        ]
        if bench.acceleration.isAccelerated {
            settings.append(("custom", try bench.acceleration.settings(calibrate: { calibration })))
        }
        return settings
    }

    private func row(_ name: String, flops: Double, result: (medianMs: Double, prediction: ActionPrediction), denseMs: Double,
                     reference: ActionPrediction, rss: Double) -> AccelerationBenchmarkRow {
        let fidelity = AccelerationBenchmark.fidelity(result.prediction, dense: reference)
        bench.log("\(name): " + String(format: "%.0f ms (dense in the same rounds %.0f ms)", result.medianMs, denseMs))
        return AccelerationBenchmarkRow(setting: name, latencyMs: result.medianMs, speedup: denseMs / result.medianMs,
                                        flopsPct: 100 * flops, rssMb: rss / 1e6, weightsDType: models.dtype,
                                        fidelityRelL2: fidelity.relativeL2, fidelityMaxAbs: fidelity.maxAbs)
    }

    /// Prints `rows` as a fixed-width table to standard output.
    static func printTable(_ rows: [AccelerationBenchmarkRow]) {
        let width = max(rows.map(\.setting.count).max() ?? 0, 7)
        print("setting".padding(toLength: width, withPad: " ", startingAt: 0)
              + "  latency ms  speed-up  FLOPs %  peak RSS MB  rel L2 (sample)  max |Δ action|")
        for row in rows {
            print(row.setting.padding(toLength: width, withPad: " ", startingAt: 0)
                  + String(format: "  %10.1f  %7.2f×  %7.1f  %11.0f  %15.2e  %14.2e", row.latencyMs, row.speedup, row.flopsPct,
                           row.rssMb, row.fidelityRelL2, row.fidelityMaxAbs))
        }
    }
}
