import ArgumentParser
import Foundation
import Inference

/// `vla-node bench`: times one forward of a CogACT-shaped model with random weights, stage by
/// stage, against the measured `cblas_sgemm` peak of this machine; with `--accel`, compares
/// EfficientVLA settings against the dense model in one table.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the inference engine on random weights (per-stage ms, GFLOP/s, % of sgemm peak; --accel: EfficientVLA table).")

    @Option(help: "Model preset.")
    var preset: ModelPreset = .small

    @Option(help: "Timed forward passes (after one warm-up).")
    var runs: Int = 3

    @Option(help: "OpenBLAS threads (default: one per core).")
    var threads: Int?

    @Flag(help: "Only print the analytic FLOP split of the preset; do not build the model.")
    var flopsOnly = false

    @Flag(help: "Compare dense, each EfficientVLA component alone, the paper's combined setting and more aggressive ones.")
    var accel = false

    @Flag(help: "With --accel: print the rows as a JSON array (keys setting, latency_ms, speedup, flops_pct, rss_mb, fidelity_rel_l2, fidelity_max_abs).")
    var json = false

    @OptionGroup(title: "EfficientVLA (per-stage bench of one setting; with --accel an extra \"custom\" row)")
    var acceleration: AccelerationOptions

    /// The prompt "pick coke can" with CogACT's suffix (BOS + 17 + [29871, 2]): a 276-token sequence.
    static let inputIDs: [Int32] = [1, 512, 29901, 1724, 3158, 881, 278, 19964, 2125, 304, 5839, 1302, 446, 508, 29973, 13, 3744,
                                    29901, 29871, 2]

    static let statistics = DatasetStatistics(datasets: ["bench": ActionStatistics(q01: Array(repeating: -1, count: 7),
                                                                                     q99: Array(repeating: 1, count: 7), mask: nil)])

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if json && !accel { throw ValidationError("--json needs --accel") }
    }

    func run() throws {
        let config = preset.config
        let flops = FLOPCount(config: config, tokenCount: Self.inputIDs.count)
        log("preset \(preset.rawValue): sequence \(config.vision.patchCount + Self.inputIDs.count) tokens, "
            + String(format: "%.1f GFLOP per forward (vision %.1f %%, projector %.1f %%, llm %.1f %%, action %.2f %%)",
                     flops.total / 1e9, 100 * flops.vision / flops.total, 100 * flops.projector / flops.total,
                     100 * flops.llm / flops.total, 100 * flops.action / flops.total))
        let weightBytes = Double(ParameterCount.loaded(config) * MemoryLayout<Float>.size)
        log(String(format: "fp32 weights: %.2f GB", weightBytes / 1e9))
        if flopsOnly { return }
        if let available = ProcessMemory.availableBytes, weightBytes > 0.9 * Double(available) {
            throw BenchError(String(format: "preset \(preset.rawValue) needs %.1f GB of fp32 weights but only %.1f GB is available; "
                                         + "use a smaller preset or --flops-only", weightBytes / 1e9, Double(available) / 1e9))
        }
        BLAS.configureThreads(threads)
        log(BLASInfo.current.description)
        let input = try Self.syntheticInput(config: config)
        if accel {
            let rows = try AccelerationComparison(bench: self, config: config, input: input).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            } else {
                AccelerationComparison.printTable(rows)
            }
        } else {
            try runStages(config: config, input: input)
        }
    }

    /// The per-stage table of one model (dense unless EfficientVLA switches are given).
    private func runStages(config: ModelConfig, input: BenchmarkInput) throws {
        // The machine may be shared: measure the peak before and after the runs and keep the best.
        let peakBefore = SGEMMPeak.measure()
        let settings = try acceleration.settings(calibrate: { try Self.calibrateDense(config: config, input: input, threads: threads) })
        let (model, loadMs) = try StageTimings.measure { try build(config: config, settings: settings) }
        log(String(format: "built model from random weights in %.0f ms", loadMs))
        var samples: [StageTimings] = []
        for run in 0 ... runs {
            let prediction = try model.forward(pixelValuesDino: input.dino, pixelValuesSiglip: input.siglip, inputIDs: input.inputIDs,
                                               noise: input.noise, unnormKey: input.unnormKey)
            if run > 0 { samples.append(prediction.timings) }
        }
        let peakAfter = SGEMMPeak.measure()
        let peak = max(peakBefore, peakAfter)
        print(String(format: "sgemm peak (2048³, NT, best of before/after): %.1f GFLOP/s (before %.1f, after %.1f)",
                     peak, peakBefore, peakAfter))
        BenchTable(samples: samples, flops: model.flopCount(tokenCount: input.inputIDs.count), peak: peak).print()
        if let peakRSS = ProcessMemory.peakResidentBytes {
            print(String(format: "peak RSS (VmHWM): %.2f GB", Double(peakRSS) / 1e9))
        }
    }

    /// A model of `config` with the bench's random weights.
    func build(config: ModelConfig, settings: AccelerationSettings) throws -> CogACTModel {
        try CogACTModel(config: config, weights: RandomWeights(), statistics: Self.statistics,
                        options: EngineOptions(blasThreads: threads, acceleration: settings))
    }

    /// Layer and channel scores of the random-weight dense model on the bench's own input (the
    /// only data that exists for random weights).
    static func calibrateDense(config: ModelConfig, input: BenchmarkInput, threads: Int?) throws -> CalibrationResult {
        let dense = try CogACTModel(config: config, weights: RandomWeights(), statistics: statistics,
                                    options: EngineOptions(blasThreads: threads))
        return try calibrate(dense, input: input)
    }

    /// Calibration scores of `model` on `input`.
    static func calibrate(_ model: CogACTModel, input: BenchmarkInput) throws -> CalibrationResult {
        let calibrator = try Calibrator(model: model)
        try calibrator.add(CalibrationSample(dinoPixels: input.dino, siglipPixels: input.siglip, inputIDs: input.inputIDs))
        return try calibrator.result()
    }

    /// Seeded pixels, the "pick coke can" ids and seeded noise.
    static func syntheticInput(config: ModelConfig) throws -> BenchmarkInput {
        let random = RandomWeights(seed: 7)
        let pixels = 3 * config.vision.imageSize * config.vision.imageSize
        return BenchmarkInput(dino: try random.tensor("bench.pixels.dino", shape: [pixels]).array,
                              siglip: try random.tensor("bench.pixels.siglip", shape: [pixels]).array,
                              inputIDs: inputIDs,
                              noise: try random.tensor("bench.noise", shape: [config.action.horizon * config.action.actionDim]).array,
                              unnormKey: "bench")
    }

    /// Progress and context lines: stderr with --json so stdout stays pure JSON.
    func log(_ line: String) {
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }
}

extension ModelPreset: ExpressibleByArgument {}

/// A benchmark that cannot run on this machine.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The per-stage table of `vla-node bench` (median over runs).
struct BenchTable {
    let samples: [StageTimings]
    let flops: FLOPCount
    let peak: Double

    func print() {
        let rows: [(String, KeyPath<StageTimings, Double>, Double)] = [
            ("vision", \.vision, flops.vision), ("projector", \.projector, flops.projector), ("llm", \.llm, flops.llm),
            ("action", \.action, flops.action), ("post", \.post, 0), ("total", \.total, flops.total),
        ]
        Swift.print("stage        ms (median)    GFLOP   GFLOP/s   % of peak")
        for (name, path, count) in rows {
            let values = samples.map { $0[keyPath: path] }.sorted()
            let ms = values[values.count / 2]
            let rate = count > 0 && ms > 0 ? count / (ms * 1e6) : 0
            Swift.print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %12.1f %9.2f %9.1f %10.1f", ms, count / 1e9, rate, 100 * rate / peak))
        }
    }
}

/// `vla-node bench --accel`: every setting on the same input and noise, one table.
///
/// Timing is interleaved so that load from other processes on a shared machine hits dense and
/// accelerated runs alike: the run-time-only settings (token budget, DiT cache) take turns on
/// the dense model through `updateRuntimeAcceleration`; each setting that changes what is
/// loaded (dropped layers, MLP channels) gets its own model, built while the dense model stays
/// loaded, and alternates run by run with dense. Its speed-up is against the dense runs of its
/// own rounds. RSS: the process peak is reset (`/proc/self/clear_refs`) before each setting;
/// a load-time setting's `rss_mb` is that peak minus what the resident dense model holds, i.e.
/// the peak the setting would have on its own.
struct AccelerationComparison {
    let bench: BenchCommand
    let config: ModelConfig
    let input: BenchmarkInput

    /// The paper drops 10 of 32 layers; the same share of this preset's layers.
    var paperDrop: Int { Int((Double(config.llm.layers) * 10 / 32).rounded()) }
    /// A more aggressive share: 14 of 32.
    var aggressiveDrop: Int { Int((Double(config.llm.layers) * 14 / 32).rounded()) }

    func run() throws -> [AccelerationBenchmarkRow] {
        let processBaseline = Double(ProcessMemory.residentBytes ?? 0)
        let dense = try bench.build(config: config, settings: .dense)
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

        let denseHeld = Double(ProcessMemory.residentBytes ?? 0) - processBaseline
        let denseWeights = Double(ParameterCount.loaded(config) * MemoryLayout<Float>.size)
        for (name, settings) in try loadTimeSettings(calibration) {
            if let available = ProcessMemory.availableBytes, Double(available) < denseWeights {
                throw BenchError(String(format: "\(name) needs up to %.1f GB next to the resident dense model, but only %.1f GB is available",
                                        denseWeights / 1e9, Double(available) / 1e9))
            }
            ProcessMemory.resetPeak()
            let model = try bench.build(config: config, settings: settings)
            let results = try AccelerationBenchmark.interleaved([{ try input.forward(dense) }, { try input.forward(model) }], runs: bench.runs)
            let rss = Double(ProcessMemory.peakResidentBytes ?? 0) - denseHeld
            rows.append(row(name, flops: model.flopCount(tokenCount: input.inputIDs.count).total / denseFLOPs, result: results[1],
                            denseMs: results[0].medianMs, reference: reference.prediction, rss: rss))
        }
        return rows
    }

    /// Settings that need their own model: layer and MLP pruning alone, the paper's
    /// combination, a more aggressive one, and the command line's switches if any.
    private func loadTimeSettings(_ calibration: CalibrationResult) throws -> [(String, AccelerationSettings)] {
        var combined = calibration.settings(dropCount: paperDrop, mlpKeepRatio: 0.75)
        combined.visualTokens = 56
        combined.cacheInterval = 5
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
                                        flopsPct: 100 * flops, rssMb: rss / 1e6,
                                        fidelityRelL2: fidelity.relativeL2, fidelityMaxAbs: fidelity.maxAbs)
    }

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
