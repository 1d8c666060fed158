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

    @OptionGroup
    var blas: BLASThreadsOption

    @Option(name: .customLong("weights-dtype"),
            help: "Element type the random weight matrices are generated and kept in (f32, bf16, f16); default bf16 for base, f32 otherwise.")
    var weightsDType: WeightDType?

    /// The weight type of this run.
    var dtype: WeightDType { weightsDType ?? (preset == .base ? .bf16 : .f32) }

    @Flag(help: "Only print the analytic FLOP split of the preset; do not build the model.")
    var flopsOnly = false

    @Flag(help: "Compare dense, each EfficientVLA component alone, the paper's combined setting and more aggressive ones.")
    var accel = false

    @Flag(help: "Print JSON on stdout (progress on stderr): the stage rows (stage, ms, gflop, gflop_per_s, pct_of_peak) and the sgemm peak; with --accel the rows as an array (keys setting, latency_ms, speedup, flops_pct, rss_mb, fidelity_rel_l2, fidelity_max_abs); with --flops-only the preset's config, input ids and GFLOP per stage (for a peer implementation).")
    var json = false

    @OptionGroup(title: "EfficientVLA (per-stage bench of one setting; with --accel an extra \"custom\" row)")
    var acceleration: AccelerationOptions

    @OptionGroup(title: "Temporal reuse on recorded frames")
    var framesOptions: FramesBenchOptions

    /// The prompt "pick coke can" with CogACT's suffix (BOS + 17 + [29871, 2]): a 276-token sequence.
    static let inputIDs: [Int32] = [1, 512, 29901, 1724, 3158, 881, 278, 19964, 2125, 304, 5839, 1302, 446, 508, 29973, 13, 3744,
                                    29901, 29871, 2]

    static let statistics = DatasetStatistics(datasets: ["bench": ActionStatistics(q01: Array(repeating: -1, count: 7),
                                                                                     q99: Array(repeating: 1, count: 7), mask: nil)])

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        BLASEnvironment.prepare()
        let target = try framesOptions.frames == nil ? framesOptions.model.map(BenchTarget.model) ?? .preset(preset) : .preset(preset)
        let config = target.config
        let flops = FLOPCount(config: config, tokenCount: target.inputIDs.count)
        log("\(target.directory == nil ? "preset" : "model") \(target.name): sequence \(config.vision.patchCount + target.inputIDs.count) tokens, "
            + String(format: "%.1f GFLOP per forward (vision %.1f %%, projector %.1f %%, llm %.1f %%, action %.2f %%)",
                     flops.total / 1e9, 100 * flops.vision / flops.total, 100 * flops.projector / flops.total,
                     100 * flops.llm / flops.total, 100 * flops.action / flops.total))
        // Random weights are generated in memory; a model directory is memory-mapped.
        let weightBytes = target.directory == nil ? Double(ParameterCount.loaded(config) * dtype.size) : 0
        if target.directory == nil { log(String(format: "\(dtype.rawValue) weights: %.2f GB", weightBytes / 1e9)) }
        if flopsOnly {
            if json { try printJSON(BenchDescription(target: target, flops: flops)) }
            return
        }
        if let available = ProcessMemory.availableBytes, weightBytes > 0.9 * Double(available) {
            throw BenchError(String(format: "preset \(preset.rawValue) needs %.1f GB of \(dtype.rawValue) weights but only %.1f GB is available; "
                                         + "use a smaller preset, --weights-dtype bf16 or --flops-only", weightBytes / 1e9, Double(available) / 1e9))
        }
        BLAS.configureThreads(blas.threads)
        log(BLASInfo.current.description)
        if framesOptions.frames != nil {
            let report = try TemporalBenchmark(bench: self, options: framesOptions).run()
            if json { try printJSON(report) } else { print(report.table()) }
            return
        }
        if let directory = target.directory {
            guard !accel else { throw BenchError("--accel compares settings on a preset's random weights; drop --model or --accel") }
            return try runStages(directory: directory, target: target)
        }
        let input = try Self.syntheticInput(config: config)
        let models = BenchModels(config: config, dtype: dtype, blasThreads: blas.threads)
        if accel {
            let rows = try AccelerationComparison(bench: self, models: models, input: input).run()
            if json {
                try printJSON(rows)
            } else {
                AccelerationComparison.printTable(rows)
            }
        } else {
            try runStages(models, input: input)
        }
    }

    /// The per-stage table of one preset model (dense unless EfficientVLA switches are given).
    private func runStages(_ models: BenchModels, input: BenchmarkInput) throws {
        // The machine may be shared: measure the peak before and after the runs and keep the best.
        let peakBefore = SGEMMPeak.measure()
        let settings = try acceleration.settings(calibrate: { try Self.calibrate(models.build(.dense).model, input: input) })
        let (model, loadMs) = try StageTimings.measure { try models.build(settings).model }
        log(String(format: "built model from random \(dtype.rawValue) weights in %.0f ms", loadMs))
        try timeStages(model, input: input, peakBefore: peakBefore, weightsDType: dtype)
    }

    /// The per-stage table of the model in `directory`, on its own weights, on synthetic pixels.
    private func runStages(directory: URL, target: BenchTarget) throws {
        let peakBefore = SGEMMPeak.measure()
        let settings = try acceleration.settings(calibrate: { throw BenchError("give a --prune-plan with --model") })
        let (model, loadMs) = try StageTimings.measure {
            try CogACTModel(directory: directory, options: EngineOptions(blasThreads: blas.threads, acceleration: settings))
        }
        log(String(format: "loaded \(target.name) in %.0f ms", loadMs))
        guard let key = model.statistics.datasets.keys.sorted().first else { throw BenchError("\(target.name) has no dataset statistics") }
        // The projector's first matrix stands for the checkpoint's weight type (the converter writes one type).
        let stored = try WeightStore(directory: directory).storedDType(of: "projector.projector.0.weight") ?? .f32
        try timeStages(model, input: Self.syntheticInput(config: target.config, inputIDs: target.inputIDs, unnormKey: key),
                       peakBefore: peakBefore, weightsDType: stored)
    }

    /// Times `runs` forwards after a warm-up and prints the table against the sgemm peak.
    private func timeStages(_ model: CogACTModel, input: BenchmarkInput, peakBefore: Double, weightsDType: WeightDType) throws {
        var samples: [StageTimings] = []
        for run in 0 ... runs {
            let prediction = try model.forward(pixelValuesDino: input.dino, pixelValuesSiglip: input.siglip, inputIDs: input.inputIDs,
                                               noise: input.noise, unnormKey: input.unnormKey)
            if run > 0 { samples.append(prediction.timings) }
        }
        let peakAfter = SGEMMPeak.measure()
        let peak = max(peakBefore, peakAfter)
        log(String(format: "sgemm peak (2048³, NT, best of before/after): %.1f GFLOP/s (before %.1f, after %.1f)",
                   peak, peakBefore, peakAfter))
        let table = BenchTable(samples: samples, flops: model.flopCount(tokenCount: input.inputIDs.count), peak: peak,
                               weightsDType: weightsDType, rssMb: Double(ProcessMemory.peakResidentBytes ?? 0) / 1e6)
        if json {
            try printJSON(table)
        } else {
            table.print()
        }
        if let peakRSS = ProcessMemory.peakResidentBytes {
            log(String(format: "peak RSS (VmHWM): %.2f GB", Double(peakRSS) / 1e9))
        }
    }

    /// Calibration scores of `model` on `input`.
    static func calibrate(_ model: CogACTModel, input: BenchmarkInput) throws -> CalibrationResult {
        let calibrator = try Calibrator(model: model)
        try calibrator.add(CalibrationSample(dinoPixels: input.dino, siglipPixels: input.siglip, inputIDs: input.inputIDs))
        return try calibrator.result()
    }

    /// Seeded pixels, the "pick coke can" ids (or `inputIDs`) and seeded noise.
    static func syntheticInput(config: ModelConfig, inputIDs: [Int32] = inputIDs, unnormKey: String = "bench") throws -> BenchmarkInput {
        let random = RandomWeights(seed: 7)
        let pixels = 3 * config.vision.imageSize * config.vision.imageSize
        return BenchmarkInput(dino: try random.tensor("bench.pixels.dino", shape: [pixels]).array,
                              siglip: try random.tensor("bench.pixels.siglip", shape: [pixels]).array,
                              inputIDs: inputIDs,
                              noise: try random.tensor("bench.noise", shape: [config.action.horizon * config.action.actionDim]).array,
                              unnormKey: unnormKey)
    }

    private func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
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
extension WeightDType: ExpressibleByArgument {}
