import XCTest
@testable import Inference

/// Grouped-query attention must equal multi-head attention whose key/value heads are the
/// GQA heads repeated per group (Hugging Face `repeat_kv`).
final class GroupedQueryAttentionTests: XCTestCase {
    private let gqa = LlamaConfig(hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 96, vocab: 50,
                                  rmsNormEps: 1e-5, ropeTheta: 10000)

    func testGroupedQueryAttentionEqualsRepeatedKeyValueHeads() throws {
        let source = RandomWeights(seed: 5)
        var mha = gqa
        mha.kvHeads = gqa.heads
        let grouped = try LlamaModel(source, config: gqa)
        let repeated = try LlamaModel(RepeatedKeyValueHeads(base: source, config: gqa), config: mha)

        let rows = 9
        let sequence = try source.tensor("test.sequence", shape: [rows * gqa.hidden]).array.map { $0 * 8 }
        let a = try grouped.prefill(sequence: sequence, positions: Array(0 ..< rows))
        let b = try repeated.prefill(sequence: sequence, positions: Array(0 ..< rows))
        assertClose(a, b, "GQA vs repeated-KV MHA")
        XCTAssertTrue(a.contains { $0 != 0 })
    }
}

/// Serves MHA-shaped k/v projections built by repeating each GQA head's rows for its group.
private struct RepeatedKeyValueHeads: WeightSource {
    let base: WeightSource
    let config: LlamaConfig

    func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        guard name.hasSuffix("k_proj.weight") || name.hasSuffix("v_proj.weight") else {
            return try base.read(name, shape: shape, into: destination)
        }
        let d = config.headDim, width = config.hidden, group = config.heads / config.kvHeads
        let grouped = try base.tensor(name, shape: [config.kvHeads * d, width])
        for head in 0 ..< config.heads {
            (destination + head * d * width).update(from: grouped.data + (head / group) * d * width, count: d * width)
        }
    }
}
