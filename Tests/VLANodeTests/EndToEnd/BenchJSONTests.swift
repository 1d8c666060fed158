import Foundation
import Inference
import TestSupport
import XCTest

/// `vla-node bench --json`: what a peer benchmark reads (tools/bench/torch_peer.py, peer_table.py).
final class BenchJSONTests: XCTestCase {
    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try VLANodeExecutable.run(arguments)
        XCTAssertEqual(result.status, 0, result.error)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], result.output)
    }

    /// The description is the preset's config in the config.json schema (it decodes back to the same
    /// value), the bench's ids, and the analytic GFLOP per stage.
    func testFlopsOnlyDescribesThePresetForAPeer() throws {
        let described = try json(["bench", "--preset", "tiny", "--flops-only", "--json"])
        XCTAssertEqual(described["preset"] as? String, "tiny")
        let configData = try JSONSerialization.data(withJSONObject: try XCTUnwrap(described["config"]))
        let config = try JSONDecoder().decode(ModelConfig.self, from: configData)
        XCTAssertEqual(config, ModelPreset.tiny.config)
        let ids = try XCTUnwrap(described["input_ids"] as? [Int])
        XCTAssertEqual(ids.first, 1)
        XCTAssertEqual(Array(ids.suffix(2)), [29871, 2])  // CogACT's cognition suffix
        XCTAssertEqual(described["sequence_tokens"] as? Int, config.vision.patchCount + ids.count)
        let gflop = try XCTUnwrap(described["gflop"] as? [String: Double])
        let count = FLOPCount(config: config, tokenCount: ids.count)
        XCTAssertEqual(try XCTUnwrap(gflop["llm"]), count.llm / 1e9, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(gflop["total"]), count.total / 1e9, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(gflop["vision"]) + gflop["projector"]! + gflop["llm"]! + gflop["action"]!,
                       gflop["total"]!, accuracy: 1e-9)
    }

    /// The per-stage bench as JSON: six stages whose milliseconds add up to the total.
    func testStageBenchPrintsItsRowsAsJSON() throws {
        let report = try json(["bench", "--preset", "tiny", "--runs", "1", "--threads", "1", "--json"])
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["stage"] as? String }, ["vision", "projector", "llm", "action", "post", "total"])
        let ms = rows.compactMap { $0["ms"] as? Double }
        XCTAssertEqual(ms.count, 6)
        XCTAssertTrue(ms.allSatisfy { $0 >= 0 })
        XCTAssertEqual(ms[0 ..< 5].reduce(0, +), ms[5], accuracy: 1e-9 * ms[5])  // one run: the total is the sum
        XCTAssertGreaterThan(try XCTUnwrap(report["sgemm_peak_gflop_per_s"] as? Double), 0)
        XCTAssertEqual(report["runs"] as? Int, 1)
        XCTAssertEqual(Set(rows.compactMap { $0["weights_dtype"] as? String }), ["f32"])  // the default off base
        XCTAssertTrue(rows.allSatisfy { ($0["rss_mb"] as? Double ?? 0) > 0 })
    }

    /// BF16 random weights: the forward runs and every row names the weight type.
    func testStageBenchRunsOnBF16Weights() throws {
        let report = try json(["bench", "--preset", "tiny", "--runs", "1", "--threads", "1", "--weights-dtype", "bf16", "--json"])
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["weights_dtype"] as? String }), ["bf16"])
        let total = try XCTUnwrap(rows.last?["ms"] as? Double)
        XCTAssertTrue(total.isFinite && total > 0)
    }

    /// The acceleration table as JSON: every row names its weight type and its peak RSS.
    func testAccelerationBenchRowsCarryWeightTypeAndRSS() throws {
        let result = try VLANodeExecutable.run(["bench", "--preset", "tiny", "--runs", "1", "--threads", "1", "--accel", "--json"])
        XCTAssertEqual(result.status, 0, result.error)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]], result.output)
        XCTAssertEqual(rows.first?["setting"] as? String, "dense")
        XCTAssertTrue(rows.contains { ($0["setting"] as? String)?.hasPrefix("combined") == true })
        for row in rows {
            XCTAssertEqual(row["weights_dtype"] as? String, "f32")
            XCTAssertGreaterThan(row["rss_mb"] as? Double ?? 0, 0, "\(row)")
        }
    }
}
