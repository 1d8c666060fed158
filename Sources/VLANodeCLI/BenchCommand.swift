import ArgumentParser
import Foundation
import Inference

/// `vla-node bench`: times one forward of a CogACT-shaped model with random weights, stage by
/// stage, against the measured `cblas_sgemm` peak of this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the inference engine on random weights (per-stage ms, GFLOP/s, % of sgemm peak).")

    @Option(help: "Model preset.")
    var preset: ModelPreset = .small

    @Option(help: "Timed forward passes (after one warm-up).")
    var runs: Int = 3

    @Option(help: "OpenBLAS threads (default: one per core).")
    var threads: Int?

    @Flag(help: "Only print the analytic FLOP split of the preset; do not build the model.")
    var flopsOnly = false

    /// The prompt "pick coke can" with CogACT's suffix (BOS + 17 + [29871, 2]): a 276-token sequence.
    static let inputIDs: [Int32] = [1, 512, 29901, 1724, 3158, 881, 278, 19964, 2125, 304, 5839, 1302, 446, 508, 29973, 13, 3744,
                                    29901, 29871, 2]

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let config = preset.config
        let flops = FLOPCount(config: config, tokenCount: Self.inputIDs.count)
        print("preset \(preset.rawValue): sequence \(config.vision.patchCount + Self.inputIDs.count) tokens, "
              + String(format: "%.1f GFLOP per forward (vision %.1f %%, projector %.1f %%, llm %.1f %%, action %.2f %%)",
                       flops.total / 1e9, 100 * flops.vision / flops.total, 100 * flops.projector / flops.total,
                       100 * flops.llm / flops.total, 100 * flops.action / flops.total))
        let weightBytes = Double(ParameterCount.loaded(config) * MemoryLayout<Float>.size)
        print(String(format: "fp32 weights: %.2f GB", weightBytes / 1e9))
        if flopsOnly { return }
        if let available = ProcessMemory.availableBytes, weightBytes > 0.9 * Double(available) {
            throw BenchError(String(format: "preset \(preset.rawValue) needs %.1f GB of fp32 weights but only %.1f GB is available; "
                                         + "use a smaller preset or --flops-only", weightBytes / 1e9, Double(available) / 1e9))
        }

        BLAS.configureThreads(threads)
        print(BLASInfo.current)
        // The machine may be shared: measure the peak before and after the runs and keep the best.
        let peakBefore = SGEMMPeak.measure()

        let statistics = DatasetStatistics(datasets: ["bench": ActionStatistics(q01: Array(repeating: -1, count: 7),
                                                                                  q99: Array(repeating: 1, count: 7), mask: nil)])
        let (model, loadMs) = try StageTimings.measure {
            try CogACTModel(config: config, weights: RandomWeights(), statistics: statistics, options: EngineOptions(blasThreads: threads))
        }
        print(String(format: "built model from random weights in %.0f ms", loadMs))
        let random = RandomWeights(seed: 7)
        let dino = try random.tensor("bench.pixels.dino", shape: [model.pixelCount]).array
        let siglip = try random.tensor("bench.pixels.siglip", shape: [model.pixelCount]).array
        let noise = try random.tensor("bench.noise", shape: [model.actionCount]).array

        var samples: [StageTimings] = []
        for run in 0 ... runs {
            let prediction = try model.forward(pixelValuesDino: dino, pixelValuesSiglip: siglip, inputIDs: Self.inputIDs,
                                               noise: noise, unnormKey: "bench")
            if run > 0 { samples.append(prediction.timings) }
        }
        let peakAfter = SGEMMPeak.measure()
        let peak = max(peakBefore, peakAfter)
        print(String(format: "sgemm peak (2048³, NT, best of before/after): %.1f GFLOP/s (before %.1f, after %.1f)",
                     peak, peakBefore, peakAfter))
        BenchTable(samples: samples, flops: flops, peak: peak).print()
        if let peakRSS = ProcessMemory.peakResidentBytes {
            print(String(format: "peak RSS (VmHWM): %.2f GB", Double(peakRSS) / 1e9))
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
