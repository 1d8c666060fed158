import CKernels
import Dispatch

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

    /// Query rows per block of a causal attention. A block's scores are computed only against the
    /// keys its rows can see, so the masked upper triangle is skipped block by block.
    static let causalBlockRows = 32

    /// The query rows in blocks, each with the number of keys its rows can see: one block for a
    /// bidirectional mask, `causalBlockRows` rows each for a causal one.
    func queryBlocks(queryRows: Int, keyRows: Int) -> [(rows: Range<Int>, keys: Int)] {
        let size: Int
        if case .bidirectional = self { size = max(queryRows, 1) } else { size = Self.causalBlockRows }
        return stride(from: 0, to: queryRows, by: size).map { first in
            let rows = first ..< min(queryRows, first + size)
            return (rows, rows.reduce(0) { max($0, visibleKeys(query: $1, keyRows: keyRows)) })
        }
    }
}

/// Scaled dot-product attention computed head by head with two GEMMs each
/// (`S = q·kᵀ/√d`, row softmax, `O = P·v`). Inputs are read in place from strided
/// projections (e.g. the q, k, v column blocks of a stacked qkv output), so nothing is copied.
/// Under a causal mask the query rows run in blocks, each against only the keys it can see.
enum Attention {
    /// Receives the softmax probabilities `[queryRows, keyRows]` of one head (masked keys are 0).
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
        let blocks = mask.queryBlocks(queryRows: queryRows, keyRows: keyRows)

        func run(head h: Int, scores s: UnsafeMutablePointer<Float>) {
            let kvHead = h / groupSize
            for block in blocks {
                let first = block.rows.lowerBound, rows = block.rows.count, scores = s + first * keyRows
                BLAS.gemmTransposedB(m: rows, n: block.keys, k: d, a: q + first * ldq + h * d, lda: ldq,
                                     b: k + kvHead * d, ldb: ldk, c: scores, ldc: keyRows, alpha: scale)
                for i in block.rows {
                    vla_softmax(s + i * keyRows, mask.visibleKeys(query: i, keyRows: keyRows), keyRows)
                }
                BLAS.gemm(m: rows, n: d, k: block.keys, a: scores, lda: keyRows,
                          b: v + kvHead * d, ldb: ldv, c: out + first * ldo + h * d, ldc: ldo)
            }
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
