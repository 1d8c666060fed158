import XCTest
@testable import Inference

/// Causal attention runs its query rows in blocks that see only their visible keys; it must
/// equal a double-precision softmax(q·kᵀ/√d)·v over the visible keys, row by row.
final class CausalAttentionTests: XCTestCase {
    private let heads = AttentionHeads(heads: 3, headDim: 8)

    private func random(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0 ..< count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
    }

    /// Runs `Attention.compute` with a probability sink; returns the output and each head's probabilities.
    private func attend(q: [Float], kv: [Float], queryRows: Int, keyRows: Int, mask: AttentionMask) -> ([Float], [[Float]]) {
        let width = heads.heads * heads.headDim
        var out = [Float](repeating: .nan, count: queryRows * width)
        var probabilities = [[Float]](repeating: [], count: heads.heads)
        q.withUnsafeBufferPointer { q in
            kv.withUnsafeBufferPointer { kv in
                Attention.compute(q: q.baseAddress!, ldq: width, k: kv.baseAddress!, ldk: 2 * width,
                                  v: kv.baseAddress! + width, ldv: 2 * width, queryRows: queryRows, keyRows: keyRows,
                                  heads: heads, mask: mask, out: &out, ldo: width, scratch: AttentionScratch()) { head, p, rows, keys in
                    probabilities[head] = Array(UnsafeBufferPointer(start: p, count: rows * keys))
                }
            }
        }
        return (out, probabilities)
    }

    /// Checks the output against the double reference for query rows sitting at `keyIndex(i)`.
    private func assertMatchesReference(q: [Float], kv: [Float], queryRows: Int, keyRows: Int, mask: AttentionMask,
                                        keyIndex: (Int) -> Int, file: StaticString = #filePath, line: UInt = #line) {
        let (out, probabilities) = attend(q: q, kv: kv, queryRows: queryRows, keyRows: keyRows, mask: mask)
        let d = heads.headDim, width = heads.heads * d
        for h in 0 ..< heads.heads {
            for i in 0 ..< queryRows {
                let visible = keyIndex(i) + 1
                var scores = (0 ..< visible).map { j in
                    (0 ..< d).reduce(0.0) { $0 + Double(q[i * width + h * d + $1]) * Double(kv[j * 2 * width + h * d + $1]) } / Double(d).squareRoot()
                }
                let maximum = scores.max()!
                scores = scores.map { exp($0 - maximum) }
                let sum = scores.reduce(0, +)
                for c in 0 ..< d {
                    let exact = (0 ..< visible).reduce(0.0) { $0 + scores[$1] / sum * Double(kv[$1 * 2 * width + width + h * d + c]) }
                    XCTAssertEqual(Double(out[i * width + h * d + c]), exact, accuracy: 1e-5, "head \(h) row \(i)", file: file, line: line)
                }
                let masked = probabilities[h][i * keyRows + visible ..< (i + 1) * keyRows]
                XCTAssertTrue(masked.allSatisfy { $0 == 0 }, "masked probabilities of row \(i) are not 0", file: file, line: line)
            }
        }
    }

    /// 70 query rows: blocks of 32, 32 and 6, the last block seeing every key.
    func testCausalBlocksEqualTheReference() {
        let rows = 70, width = heads.heads * heads.headDim
        let q = random(rows * width, seed: 1), kv = random(rows * 2 * width, seed: 2)
        assertMatchesReference(q: q, kv: kv, queryRows: rows, keyRows: rows, mask: .causal(firstKey: 0), keyIndex: { $0 })
    }

    /// Queries that start after some key-only rows (`firstQueryRow`, e.g. the cognition-only last layer).
    func testCausalQueriesAfterKeyOnlyRows() {
        let keys = 75, queries = 40, width = heads.heads * heads.headDim
        let q = random(queries * width, seed: 3), kv = random(keys * 2 * width, seed: 4)
        assertMatchesReference(q: q, kv: kv, queryRows: queries, keyRows: keys, mask: .causal(firstKey: keys - queries),
                               keyIndex: { keys - queries + $0 })
    }

    /// A subset of query rows at scattered key indices (temporal reuse), spanning several blocks.
    func testCausalAtScatteredKeyIndices() {
        let keys = 90, width = heads.heads * heads.headDim
        let indices = Array(stride(from: 2, to: keys, by: 2))
        let q = random(indices.count * width, seed: 5), kv = random(keys * 2 * width, seed: 6)
        assertMatchesReference(q: q, kv: kv, queryRows: indices.count, keyRows: keys, mask: .causalAt(keyIndices: indices),
                               keyIndex: { indices[$0] })
    }

    /// The blocks of a causal mask see, each, exactly the keys of its last row.
    func testQueryBlocksSeeOnlyTheirVisibleKeys() {
        let blocks = AttentionMask.causal(firstKey: 10).queryBlocks(queryRows: 70, keyRows: 80)
        XCTAssertEqual(blocks.map(\.rows), [0 ..< 32, 32 ..< 64, 64 ..< 70])
        XCTAssertEqual(blocks.map(\.keys), [42, 74, 80])
        let whole = AttentionMask.bidirectional.queryBlocks(queryRows: 70, keyRows: 80)
        XCTAssertEqual(whole.map(\.rows), [0 ..< 70])
        XCTAssertEqual(whole.map(\.keys), [80])
    }
}
