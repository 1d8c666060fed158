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

    /// `--model DIR` (no `--frames`): the directory's own config, its tokenizer's ids for the bench's
    /// instruction (equal to the fixture's reference ids of "Pick coke can", which the reference
    /// implementation tokenised), and a per-stage table on its own weights (F32 in the fixture).
    func testModelDirectoryIsDescribedAndTimedOnItsOwnWeights() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/cogact-tiny")
        let model = root.appendingPathComponent("model")
        let described = try json(["bench", "--model", model.path, "--flops-only", "--json"])
        let configData = try JSONSerialization.data(withJSONObject: try XCTUnwrap(described["config"]))
        let config = try JSONDecoder().decode(ModelConfig.self, from: configData)
        XCTAssertEqual(config, try ModelConfig.load(from: model.appendingPathComponent("config.json")))
        let reference = try SafeTensorsFile(path: root.appendingPathComponent("reference.safetensors").path)
        let ids = try XCTUnwrap(described["input_ids"] as? [Int])
        XCTAssertEqual(ids, try reference.integerTensor("input_ids").values)
        let report = try json(["bench", "--model", model.path, "--runs", "1", "--threads", "1", "--json"])
        let rows = try XCTUnwrap(report["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["stage"] as? String }, ["vision", "projector", "llm", "action", "post", "total"])
        XCTAssertEqual(Set(rows.compactMap { $0["weights_dtype"] as? String }), ["f32"])
        let total = try XCTUnwrap(rows.last?["gflop"] as? Double)
        XCTAssertEqual(total, FLOPCount(config: config, tokenCount: ids.count).total / 1e9, accuracy: 1e-9)
        let refused = try VLANodeExecutable.run(["bench", "--model", model.path, "--accel"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("--accel"), refused.error)
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

    /// `bench --frames`: a recorded MetaWorld episode through the tiny preset, full compute against
    /// temporal reuse for dense and the combined setting, a row per frame and model and a summary.
    func testFramesBenchComparesFullComputeAndReuseOnARecordedEpisode() throws {
        let bag = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("demo/sim/reach/seed-0.mcap").path
        let report = try json(["bench", "--preset", "tiny", "--threads", "1", "--frames", bag, "--max-frames", "4", "--json"])
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 8)
        XCTAssertEqual(steps.compactMap { $0["frame"] as? Int }, [0, 0, 1, 1, 2, 2, 3, 3])
        for step in steps where step["frame"] as? Int == 0 {
            XCTAssertEqual(step["full_refresh"] as? String, "first-frame")
            XCTAssertEqual(step["cognition_rel_l2"] as? Double, 0, "a full refresh is the dense path")
            XCTAssertEqual(step["reuse_gflop"] as? Double, step["full_gflop"] as? Double)
        }
        let dense = steps.filter { $0["setting"] as? String == "dense" && $0["frame"] as? Int != 0 }
        XCTAssertTrue(dense.allSatisfy { ($0["reused"] as? Int ?? 0) > 0 && ($0["static_patches"] as? Int ?? 0) > 100 }, "\(dense)")
        XCTAssertTrue(dense.allSatisfy { ($0["reuse_gflop"] as? Double ?? 0) < ($0["full_gflop"] as? Double ?? 0) })
        let summary = try XCTUnwrap(report["summary"] as? [[String: Any]])
        XCTAssertEqual(summary.compactMap { $0["setting"] as? String }, ["dense", "combined (paper)"])
        XCTAssertTrue(summary.allSatisfy { $0["frames"] as? Int == 3 })
        XCTAssertLessThan(try XCTUnwrap(summary[0]["flops_pct"] as? Double), 100)
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
