import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Head geometry of a multi-head attention; `kvHeads < heads` is grouped-query attention.
struct AttentionHeads {
    let heads: Int
    let kvHeads: Int
    let headDim: Int

    init(heads: Int, kvHeads: Int? = nil, headDim: Int) {
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.headDim = headDim
    }
}

/// Scaled dot-product attention computed head by head with two GEMMs each
/// (`S = q·kᵀ/√d`, row softmax, `O = P·v`). Inputs are read in place from strided
/// projections (e.g. the q, k, v column blocks of a stacked qkv output), so nothing is copied.
enum Attention {
    /// Receives the softmax probabilities `[queryRows, keyRows]` of one head.
    typealias ProbabilitySink = (_ head: Int, _ probabilities: UnsafePointer<Float>, _ queryRows: Int, _ keyRows: Int) -> Void

    /// - Parameters:
    ///   - causalOffset: nil for bidirectional attention; otherwise query row `i` sits at key
    ///     index `causalOffset + i` and sees keys `0...causalOffset + i`.
    ///   - scratch: per-worker `[queryRows, keyRows]` score buffers.
    ///   - probabilitySink: when set, heads run in order on the calling thread.
    ///
    /// Heads are independent and each head's GEMMs are small (e.g. 261×261×64), where a
    /// multi-threaded BLAS mostly synchronises; so without a sink the heads are split across
    /// the BLAS thread count, each worker running single-threaded BLAS and its own softmax.
    static func compute(q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
                        v: UnsafePointer<Float>, ldv: Int, queryRows: Int, keyRows: Int,
                        heads: AttentionHeads, causalOffset: Int?,
                        out: UnsafeMutablePointer<Float>, ldo: Int,
                        scratch: AttentionScratch, probabilitySink: ProbabilitySink? = nil) {
        let d = heads.headDim
        let scale = 1 / Float(d).squareRoot()
        let groupSize = heads.heads / heads.kvHeads
        let workers = probabilitySink == nil ? min(BLAS.threads, heads.heads) : 1
        let buffers = scratch.reserve(workers: workers, count: queryRows * keyRows)

        func run(head h: Int, scores s: UnsafeMutablePointer<Float>) {
            let kvHead = h / groupSize
            BLAS.gemmTransposedB(m: queryRows, n: keyRows, k: d, a: q + h * d, lda: ldq,
                                 b: k + kvHead * d, ldb: ldk, c: s, ldc: keyRows, alpha: scale)
            for i in 0 ..< queryRows {
                let visible = causalOffset.map { min(keyRows, $0 + i + 1) } ?? keyRows
                softmax(s + i * keyRows, visible: visible, total: keyRows)
            }
            probabilitySink?(h, s, queryRows, keyRows)
            BLAS.gemm(m: queryRows, n: d, k: keyRows, a: s, lda: keyRows,
                      b: v + kvHead * d, ldb: ldv, c: out + h * d, ldc: ldo)
        }

        if workers > 1 {
            BLAS.withSingleThreadedCalls {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for h in stride(from: worker, to: heads.heads, by: workers) { run(head: h, scores: buffers[worker]) }
                }
            }
        } else {
            for h in 0 ..< heads.heads { run(head: h, scores: buffers[0]) }
        }
    }

    /// Softmax over the first `visible` entries of a row; the rest become 0 (masked).
    @inline(__always)
    static func softmax(_ row: UnsafeMutablePointer<Float>, visible: Int, total: Int) {
        var maximum = -Float.infinity
        for j in 0 ..< visible { maximum = max(maximum, row[j]) }
        var sum: Float = 0
        for j in 0 ..< visible {
            let e = expf(row[j] - maximum)
            row[j] = e
            sum += e
        }
        let inverse = 1 / sum
        for j in 0 ..< visible { row[j] *= inverse }
        for j in visible ..< total { row[j] = 0 }
    }
}

/// Score buffers for `Attention.compute`, one per worker, reused across calls.
/// Owned by one module; grown only on the calling thread, before workers start.
final class AttentionScratch {
    private var buffers: [ScratchBuffer] = []

    func reserve(workers: Int, count: Int) -> [UnsafeMutablePointer<Float>] {
        while buffers.count < workers { buffers.append(ScratchBuffer()) }
        return buffers.prefix(workers).map { $0.reserve(count) }
    }
}
