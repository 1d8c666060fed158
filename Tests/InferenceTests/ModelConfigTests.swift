import Foundation
import XCTest
@testable import Inference

final class ModelConfigTests: XCTestCase {
    private var configURL: URL { Fixture.modelDirectory.appendingPathComponent("config.json") }

    func testFixtureConfigDecodes() throws {
        let config = try ModelConfig.load(from: configURL)
        XCTAssertEqual(config.vision.dino.registerTokens, 4)
        XCTAssertNil(config.vision.siglip.registerTokens)
        XCTAssertEqual(config.vision.patchCount, 256)
        XCTAssertEqual(config.llm.kvHeads, 4)
        XCTAssertEqual(config.action.cfgScale, 1.5)
        XCTAssertEqual(config.cognitionSuffixIDs, [29871, 2])
    }

    func testUnknownKeysAreIgnored() throws {
        var json = try fixtureJSON()
        json["future_feature"] = ["anything": true]
        XCTAssertNoThrow(try decode(json))
    }

    func testMissingKeyIsNamed() throws {
        var json = try fixtureJSON()
        var llm = json["llm"] as! [String: Any]
        llm.removeValue(forKey: "rope_theta")
        json["llm"] = llm
        XCTAssertThrowsError(try decode(json)) { error in
            XCTAssertEqual(error as? ConfigError, .missingKey(file: "test.json", key: "llm.rope_theta"))
        }
    }

    func testInconsistentValueIsNamed() throws {
        var json = try fixtureJSON()
        var llm = json["llm"] as! [String: Any]
        llm["kv_heads"] = 3
        json["llm"] = llm
        XCTAssertThrowsError(try decode(json)) { error in
            guard case .invalidValue(_, let key, _)? = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "llm.kv_heads")
        }
    }

    func testWeightShapeDisagreeingWithConfigNamesKeyAndShapes() throws {
        let directory = try SafeTensorsBuilder.temporaryDirectory()
        var json = try fixtureJSON()
        var llm = json["llm"] as! [String: Any]
        llm["intermediate"] = 345
        json["llm"] = llm
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("config.json"))
        for name in ["model.safetensors", "dataset_statistics.json"] {
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent(name),
                                                       withDestinationURL: Fixture.modelDirectory.appendingPathComponent(name))
        }
        XCTAssertThrowsError(try CogACTModel(directory: directory)) { error in
            guard case let .shapeMismatch(key, expected, found, _)? = error as? WeightError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "llm_backbone.llm.model.layers.0.mlp.gate_proj.weight")
            XCTAssertEqual(expected, [345, 128])
            XCTAssertEqual(found, [344, 128])
        }
    }

    func testDatasetStatisticsAreValidated() throws {
        let stats = try DatasetStatistics.load(from: Fixture.modelDirectory.appendingPathComponent("dataset_statistics.json"), actionDim: 7)
        XCTAssertEqual(try stats.action(for: "fixture_robot").effectiveMask, [true, true, true, true, true, true, false])
        XCTAssertThrowsError(try DatasetStatistics.load(from: Fixture.modelDirectory.appendingPathComponent("dataset_statistics.json"),
                                                        actionDim: 6)) { error in
            guard case .invalidValue(_, let key, _)? = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "fixture_robot.action")
        }
        let url = try SafeTensorsBuilder.temporaryDirectory().appendingPathComponent("stats.json")
        try Data(#"{"robot": {"action": {"q01": [0]}}}"#.utf8).write(to: url)
        XCTAssertThrowsError(try DatasetStatistics.load(from: url, actionDim: 1)) { error in
            XCTAssertEqual(error as? ConfigError, .missingKey(file: url.path, key: "robot.action.q99"))
        }
    }

    func testUnnormalizerClipsThresholdsAndRespectsMask() {
        let stats = ActionStatistics(q01: [-1, 0, 0], q99: [3, 2, 1], mask: [true, false, true])
        let (normalized, actions) = Unnormalizer(statistics: stats).apply([0.5, 7, 0.49, -3, -0.2, 0.5])
        XCTAssertEqual(normalized, [0.5, 1, 0, -1, -0.2, 1])
        // masked: 0.5·(a+1)·(q99−q01)+q01; unmasked dim 1 passes the clipped value through.
        XCTAssertEqual(actions, [2, 1, 0.5, -1, -0.2, 1])
    }

    private func fixtureJSON() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
    }

    private func decode(_ json: [String: Any]) throws {
        let config = try JSONFileDecoding.decode(ModelConfig.self, from: JSONSerialization.data(withJSONObject: json), file: "test.json")
        try config.validate(file: "test.json")
    }
}
