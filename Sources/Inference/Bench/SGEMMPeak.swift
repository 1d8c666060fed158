/// Measures the sustained `cblas_sgemm` rate of this machine on a large square-ish product
/// in the `Linear` layout, with the current OpenBLAS thread count.
public enum SGEMMPeak {
    /// Best GFLOP/s over repeated `size³` products lasting about `seconds` in total.
    public static func measure(size: Int = 2048, seconds: Double = 1.0) -> Double {
        let a = Tensor(shape: [size, size]), b = Tensor(shape: [size, size]), c = Tensor(shape: [size, size])
        a.data.update(repeating: 0.5, count: a.count)
        b.data.update(repeating: 0.25, count: b.count)
        let flops = 2 * Double(size) * Double(size) * Double(size)
        var best = 0.0, elapsed = 0.0
        repeat {
            let (_, ms) = StageTimings.measure {
                BLAS.gemmTransposedB(m: size, n: size, k: size, a: a.data, lda: size, b: b.data, ldb: size, c: c.data, ldc: size)
            }
            elapsed += ms / 1000
            best = max(best, flops / (ms * 1e6))
        } while elapsed < seconds
        return best
    }
}
