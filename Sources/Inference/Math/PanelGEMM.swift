import CKernels
import Dispatch
import Foundation

/// `y = x · Wᵀ (+ beta · y)` for a `WeightMatrix` in any stored type, through `cblas_sgemm`.
///
/// The output features are split into blocks of at most `blockRows` rows, spread over the BLAS
/// thread count; each worker walks its blocks in `blockColumns`-wide slices of the input
/// features. A slice of 16-bit weights is widened into the worker's F32 panel (512 KB, reused,
/// cache-resident), then one single-threaded `cblas_sgemm` accumulates it into `y`. DRAM
/// traffic stays at the stored 2 bytes per weight; aligned F32 weights skip the panel and are
/// multiplied in place.
///
/// With at most `dotRowLimit` activation rows (the DiT's 34, a single query row) each slice goes
/// to `vla_dot_gemm` instead, which reads the weights in place: `cblas_sgemm` would spend as long
/// packing the weight slice as multiplying it.
///
/// Every F32 weight value goes through the same sequence of kernel calls whichever way
/// it is stored, so a model stored in BF16 and the same model stored in F32 (the widened
/// values) give bitwise-identical outputs at the same thread count. The blocks do not depend
/// on which worker runs them.
enum PanelGEMM {
    /// Output features per block (panel rows).
    static let blockRows = 512
    /// Input features per slice (panel columns).
    static let blockColumns = 256
    /// Multiply-adds below which the GEMM runs on the calling thread (dispatch costs more).
    static let parallelThreshold = 1 << 21
    /// Activation rows up to which slices run in `vla_dot_gemm` rather than `cblas_sgemm`
    /// (measured crossover on Zen 3: the dot kernel is 1.2–1.6× faster at 34 rows, 4× at 1, even at 64).
    static let dotRowLimit = 48

    /// `y[m, outputRows.count] = x[m, k] · W[outputRows, :]ᵀ + beta · y`, with row strides `ldx`, `ldy`;
    /// `beta` is 0 (overwrite) or 1 (accumulate, e.g. a fused residual add).
    static func multiply(m: Int, x: UnsafePointer<Float>, ldx: Int, weight: WeightMatrix, outputRows: Range<Int>,
                         into y: UnsafeMutablePointer<Float>, ldy: Int, beta: Float) {
        let n = outputRows.count, k = weight.inFeatures
        precondition(beta == 0 || beta == 1, "PanelGEMM accumulates with beta 0 or 1")
        guard m > 0, n > 0 else { return }
        let workers = m * n * k < parallelThreshold ? 1 : min(BLAS.threads, (n + 15) / 16)
        let blocks = blockCount(n: n, workers: workers)
        let rowsPerBlock = (n + blocks - 1) / blocks
        let run = { (block: Int) in
            let first = block * rowsPerBlock
            guard first < n else { return }
            let rows = outputRows.lowerBound + first ..< outputRows.lowerBound + min(n, first + rowsPerBlock)
            multiplyBlock(m: m, x: x, ldx: ldx, weight: weight, rows: rows, into: y + first, ldy: ldy, beta: beta)
        }
        withExtendedLifetime(weight) {
            if workers == 1 {
                for block in 0 ..< blocks { run(block) }
            } else {
                let perWorker = (blocks + workers - 1) / workers
                BLAS.withSingleThreadedCalls {
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        for block in worker * perWorker ..< min(blocks, (worker + 1) * perWorker) { run(block) }
                    }
                }
            }
        }
    }

    /// Blocks of at most `blockRows` rows, a multiple of `workers` so that they share out evenly.
    static func blockCount(n: Int, workers: Int) -> Int {
        let minimum = (n + blockRows - 1) / blockRows
        return (minimum + workers - 1) / workers * workers
    }

    /// One block of output features: slices of `blockColumns` input features, accumulated.
    private static func multiplyBlock(m: Int, x: UnsafePointer<Float>, ldx: Int, weight: WeightMatrix, rows: Range<Int>,
                                      into y: UnsafeMutablePointer<Float>, ldy: Int, beta: Float) {
        let k = weight.inFeatures
        PanelPool.shared.withPanel { panel in
            var start = 0
            repeat {
                let columns = start ..< min(k, start + blockColumns)
                let b: UnsafePointer<Float>, ldb: Int
                if let direct = weight.directElements(rows: rows, columns: columns) {
                    (b, ldb) = direct
                } else {
                    weight.fill(panel, rows: rows, columns: columns)
                    (b, ldb) = (UnsafePointer(panel), columns.count)
                }
                let accumulate = start > 0 || beta == 1
                if m <= dotRowLimit {
                    vla_dot_gemm(m, rows.count, columns.count, x + columns.lowerBound, ldx, b, ldb, y, ldy, accumulate ? 1 : 0)
                } else {
                    BLAS.gemmTransposedB(m: m, n: rows.count, k: columns.count, a: x + columns.lowerBound, lda: ldx,
                                         b: b, ldb: ldb, c: y, ldc: ldy, beta: accumulate ? 1 : 0)
                }
                start = columns.upperBound
            } while start < k
        }
    }
}

/// The F32 panels of `PanelGEMM`, one per concurrently running block, kept for reuse.
final class PanelPool: @unchecked Sendable {
    /// The process-wide pool.
    static let shared = PanelPool()
    /// Floats per panel.
    static let capacity = PanelGEMM.blockRows * PanelGEMM.blockColumns

    private let lock = NSLock()
    private var free: [UnsafeMutablePointer<Float>] = []

    /// Runs `body` with a panel no other caller holds; the panel returns to the pool afterwards.
    func withPanel(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        lock.lock()
        let panel = free.popLast() ?? .allocate(capacity: Self.capacity)
        lock.unlock()
        body(panel)
        lock.lock()
        free.append(panel)
        lock.unlock()
    }
}
