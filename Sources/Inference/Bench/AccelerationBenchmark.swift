/// One row of `vla-node bench --accel`: a setting measured against the dense model on the same
/// inputs and noise. JSON keys: `setting, latency_ms, speedup, flops_pct, rss_mb,
/// fidelity_rel_l2, fidelity_max_abs`.
public struct AccelerationBenchmarkRow: Codable, Sendable, Equatable {
    /// Name of the setting.
    public var setting: String
    /// Median wall-clock milliseconds of one forward.
    public var latencyMs: Double
    /// Dense median latency / this latency.
    public var speedup: Double
    /// Analytic FLOPs as a percentage of dense.
    public var flopsPct: Double
    /// Peak resident set size while this setting's model was built and run (MB).
    public var rssMb: Double
    /// Element type of the weight matrices.
    public var weightsDType: WeightDType
    /// ‖sample − dense sample‖₂ / ‖dense sample‖₂ of the pre-clip DDIM sample.
    public var fidelityRelL2: Double
    /// max |actions − dense actions| of the un-normalised actions.
    public var fidelityMaxAbs: Double

    enum CodingKeys: String, CodingKey {
        case setting, speedup
        case latencyMs = "latency_ms", flopsPct = "flops_pct", rssMb = "rss_mb", weightsDType = "weights_dtype"
        case fidelityRelL2 = "fidelity_rel_l2", fidelityMaxAbs = "fidelity_max_abs"
    }

    /// A row from its measurements.
    public init(setting: String, latencyMs: Double, speedup: Double, flopsPct: Double, rssMb: Double, weightsDType: WeightDType,
                fidelityRelL2: Double, fidelityMaxAbs: Double) {
        self.setting = setting
        self.latencyMs = latencyMs
        self.speedup = speedup
        self.flopsPct = flopsPct
        self.rssMb = rssMb
        self.weightsDType = weightsDType
        self.fidelityRelL2 = fidelityRelL2
        self.fidelityMaxAbs = fidelityMaxAbs
    }
}

/// Fixed inputs of an acceleration benchmark: every setting sees the same pixels, ids and noise.
public struct BenchmarkInput: Sendable {
    /// One forward of `model` on these inputs.
    public func forward(_ model: CogACTModel) throws -> ActionPrediction {
        try model.forward(pixelValuesDino: dino, pixelValuesSiglip: siglip, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey)
    }

    /// Normalised DINO pixels.
    public var dino: [Float]
    /// Normalised SigLIP pixels.
    public var siglip: [Float]
    /// Input ids.
    public var inputIDs: [Int32]
    /// Initial DDIM sample.
    public var noise: [Float]
    /// Statistics key for un-normalisation.
    public var unnormKey: String

    /// Inputs for a benchmark.
    public init(dino: [Float], siglip: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String) {
        self.dino = dino
        self.siglip = siglip
        self.inputIDs = inputIDs
        self.noise = noise
        self.unnormKey = unnormKey
    }
}

/// Timing and fidelity helpers for `vla-node bench --accel`.
public enum AccelerationBenchmark {
    /// Times several forwards fairly on a shared machine: each contender runs once as warm-up,
    /// then `runs` rounds run every contender once in turn, so load from other processes hits
    /// all of them alike. Returns each contender's median milliseconds and last prediction.
    public static func interleaved(_ contenders: [() throws -> ActionPrediction], runs: Int) throws
        -> [(medianMs: Double, prediction: ActionPrediction)] {
        var predictions = try contenders.map { try $0() }
        var latencies = Array(repeating: [Double](), count: contenders.count)
        for _ in 0 ..< max(runs, 1) {
            for (index, contender) in contenders.enumerated() {
                let (prediction, ms) = try StageTimings.measure(contender)
                predictions[index] = prediction
                latencies[index].append(ms)
            }
        }
        return zip(latencies, predictions).map { times, prediction in
            let sorted = times.sorted()
            return (sorted[sorted.count / 2], prediction)
        }
    }

    /// (relative L2 of the pre-clip samples, max abs difference of the actions) against `dense`.
    public static func fidelity(_ prediction: ActionPrediction, dense: ActionPrediction) -> (relativeL2: Double, maxAbs: Double) {
        let maxAbs = zip(prediction.actions, dense.actions).map { Double(abs($0 - $1)) }.max() ?? 0
        return (relativeL2(prediction.sample, dense.sample), maxAbs)
    }

    /// ‖a − b‖₂ / ‖b‖₂ in Float64 (‖a − b‖₂ over the smallest normal when `b` is zero).
    public static func relativeL2(_ a: [Float], _ b: [Float]) -> Double {
        var difference = 0.0, norm = 0.0
        for (x, y) in zip(a, b) {
            difference += Double(x - y) * Double(x - y)
            norm += Double(y) * Double(y)
        }
        return (difference / max(norm, .leastNormalMagnitude)).squareRoot()
    }
}
