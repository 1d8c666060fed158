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

/// Which keys each query row of an attention may see.
enum AttentionMask {
    /// Every query sees every key.
    case bidirectional
    /// Query row `i` sits at key index `firstKey + i` and sees keys `0...firstKey + i`.
    case causal(firstKey: Int)
    /// Query row `i` sits at key index `keyIndices[i]` and sees keys `0...keyIndices[i]` (the
    /// queries are a subset of the key rows, e.g. only the tokens recomputed under temporal reuse).
    case causalAt(keyIndices: [Int])

    /// Keys visible to query row `i` of an attention over `keyRows` keys.
    @inline(__always)
    func visibleKeys(query i: Int, keyRows: Int) -> Int {
        switch self {
        case .bidirectional: return keyRows
        case .causal(let firstKey): return min(keyRows, firstKey + i + 1)
        case .causalAt(let keyIndices): return min(keyRows, keyIndices[i] + 1)
        }
    }
}

/// Scaled dot-product attention computed head by head with two GEMMs each
/// (`S = q·kᵀ/√d`, row softmax, `O = P·v`). Inputs are read in place from strided
/// projections (e.g. the q, k, v column blocks of a stacked qkv output), so nothing is copied.
enum Attention {
    /// Receives the softmax probabilities `[queryRows, keyRows]` of one head.
    typealias ProbabilitySink = (_ head: Int, _ probabilities: UnsafePointer<Float>, _ queryRows: Int, _ keyRows: Int) -> Void

    /// - Parameters:
    ///   - mask: which keys each query row sees.
    ///   - scratch: `[queryRows, keyRows]` score buffers (one per worker, or one per head with a sink).
    ///   - probabilitySink: receives each head's probabilities, in head order, after all heads ran.
    ///
    /// Heads are independent and each head's GEMMs are small (e.g. 261×261×64), where a
    /// multi-threaded BLAS mostly synchronises; so the heads are split across the BLAS thread
    /// count, each worker running single-threaded BLAS and its own softmax. A sink does not change
    /// how the heads run (each keeps its own buffer until the sink has read it), so observed and
    /// unobserved attention give bitwise the same output.
    static func compute(q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
                        v: UnsafePointer<Float>, ldv: Int, queryRows: Int, keyRows: Int,
                        heads: AttentionHeads, mask: AttentionMask,
                        out: UnsafeMutablePointer<Float>, ldo: Int,
                        scratch: AttentionScratch, probabilitySink: ProbabilitySink? = nil) {
        let d = heads.headDim
        let scale = 1 / Float(d).squareRoot()
        let groupSize = heads.heads / heads.kvHeads
        let workers = min(BLAS.threads, heads.heads)
        let buffers = scratch.reserve(workers: probabilitySink == nil ? workers : heads.heads, count: queryRows * keyRows)

        func run(head h: Int, scores s: UnsafeMutablePointer<Float>) {
            let kvHead = h / groupSize
            BLAS.gemmTransposedB(m: queryRows, n: keyRows, k: d, a: q + h * d, lda: ldq,
                                 b: k + kvHead * d, ldb: ldk, c: s, ldc: keyRows, alpha: scale)
            for i in 0 ..< queryRows {
                softmax(s + i * keyRows, visible: mask.visibleKeys(query: i, keyRows: keyRows), total: keyRows)
            }
            BLAS.gemm(m: queryRows, n: d, k: keyRows, a: s, lda: keyRows,
                      b: v + kvHead * d, ldb: ldv, c: out + h * d, ldc: ldo)
        }
        let buffer: (Int, Int) -> UnsafeMutablePointer<Float> = { head, worker in buffers[probabilitySink == nil ? worker : head] }

        if workers > 1 {
            BLAS.withSingleThreadedCalls {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for h in stride(from: worker, to: heads.heads, by: workers) { run(head: h, scores: buffer(h, worker)) }
                }
            }
        } else {
            for h in 0 ..< heads.heads { run(head: h, scores: buffer(h, 0)) }
        }
        if let probabilitySink {
            for h in 0 ..< heads.heads { probabilitySink(h, buffers[h], queryRows, keyRows) }
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

/// Score buffers for `Attention.compute`, one per worker (or head), reused across calls.
/// Owned by one module; grown only on the calling thread, before workers start.
final class AttentionScratch {
    private var buffers: [ScratchBuffer] = []

    func reserve(workers: Int, count: Int) -> [UnsafeMutablePointer<Float>] {
        while buffers.count < workers { buffers.append(ScratchBuffer()) }
        return buffers.prefix(workers).map { $0.reserve(count) }
    }
}
