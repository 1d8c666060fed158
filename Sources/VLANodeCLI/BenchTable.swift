import Inference

/// The per-stage table of `vla-node bench` (median over runs), as text or JSON.
struct BenchTable: Encodable {
    /// One stage: median milliseconds, analytic GFLOP, the rate and its share of the sgemm peak,
    /// with the run's weight type and process peak RSS.
    struct Row: Encodable {
        let stage: String
        let ms: Double
        let gflop: Double
        let gflopPerSecond: Double
        let percentOfPeak: Double
        let weightsDType: WeightDType
        let rssMb: Double

        enum CodingKeys: String, CodingKey {
            case stage, ms, gflop
            case gflopPerSecond = "gflop_per_s"
            case percentOfPeak = "pct_of_peak"
            case weightsDType = "weights_dtype"
            case rssMb = "rss_mb"
        }
    }

    let rows: [Row]
    let peakGFLOPPerSecond: Double
    let runs: Int

    enum CodingKeys: String, CodingKey {
        case rows, runs
        case peakGFLOPPerSecond = "sgemm_peak_gflop_per_s"
    }

    init(samples: [StageTimings], flops: FLOPCount, peak: Double, weightsDType: WeightDType, rssMb: Double) {
        let stages: [(String, KeyPath<StageTimings, Double>, Double)] = [
            ("vision", \.vision, flops.vision), ("projector", \.projector, flops.projector), ("llm", \.llm, flops.llm),
            ("action", \.action, flops.action), ("post", \.post, 0), ("total", \.total, flops.total),
        ]
        rows = stages.map { name, path, count in
            let values = samples.map { $0[keyPath: path] }.sorted()
            let ms = values[values.count / 2]
            let rate = count > 0 && ms > 0 ? count / (ms * 1e6) : 0
            return Row(stage: name, ms: ms, gflop: count / 1e9, gflopPerSecond: rate, percentOfPeak: 100 * rate / peak,
                       weightsDType: weightsDType, rssMb: rssMb)
        }
        peakGFLOPPerSecond = peak
        runs = samples.count
    }

    /// Prints the header and one row per stage to standard output.
    func print() {
        Swift.print("stage        ms (median)    GFLOP   GFLOP/s   % of peak")
        for row in rows {
            Swift.print(row.stage.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(format: " %12.1f %9.2f %9.1f %10.1f", row.ms, row.gflop, row.gflopPerSecond, row.percentOfPeak))
        }
    }
}
