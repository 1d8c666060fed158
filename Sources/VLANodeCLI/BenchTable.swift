import Inference

/// The per-stage table of `vla-node bench` (median over runs).
struct BenchTable {
    let samples: [StageTimings]
    let flops: FLOPCount
    let peak: Double

    /// Prints the header and one row per stage to standard output.
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
