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

    /// Sizes whose products would overflow `Int` (a trap while loading) are refused by name.
    func testOversizedDimensionsAreRefusedBeforeAnythingIsAllocated() throws {
        let hostile: [(section: String, key: String, value: Int, named: String)] = [
            ("llm", "hidden", 1 << 40, "llm.hidden"), ("llm", "vocab", 1 << 21, "llm.hidden"),
            ("llm", "layers", 1 << 40, "llm.layers"), ("action", "horizon", 1 << 40, "action.hidden"),
            ("action", "depth", 1 << 20, "action.depth"), ("vision", "image_size", 1 << 32, "vision.image_size"),
        ]
        for (section, key, value, named) in hostile {
            var json = try fixtureJSON()
            var part = json[section] as! [String: Any]
            part[key] = value
            if section == "vision" { part["patch_size"] = 1 }
            json[section] = part
            XCTAssertThrowsError(try decode(json), "\(key) = \(value)") { error in
                guard case .invalidValue(_, let reported, _)? = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(reported, named)
            }
        }
        for (tower, key) in [("dino", "mlp_dim"), ("siglip", "depth")] {
            var json = try fixtureJSON()
            var vision = json["vision"] as! [String: Any], part = vision[tower] as! [String: Any]
            part[key] = 1 << 40
            vision[tower] = part
            json["vision"] = vision
            XCTAssertThrowsError(try decode(json)) { error in
                guard case .invalidValue(_, let reported, _)? = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(reported, "vision.\(tower).\(key == "depth" ? "depth" : "width")")
            }
        }
        XCTAssertNoThrow(try ModelPreset.base.config.validate())
    }

    /// Suffix ids become `Int32` token ids: negative ones or ones beyond `Int32` are refused.
    func testCognitionSuffixIDsMustBe32BitTokenIDs() throws {
        for ids in [[29871, 1 << 40], [-1, 2], [29871, Int(Int32.max) + 1]] {
            var json = try fixtureJSON()
            json["cognition_suffix_ids"] = ids
            XCTAssertThrowsError(try decode(json), "\(ids)") { error in
                guard case .invalidValue(_, let key, _)? = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(key, "cognition_suffix_ids")
            }
        }
    }

    func testWeightShapeDisagreeingWithConfigNamesKeyAndShapes() throws {
        var json = try fixtureJSON()
        var llm = json["llm"] as! [String: Any]
        llm["intermediate"] = 345
        json["llm"] = llm
        let directory = try modelDirectory(config: json)
        XCTAssertThrowsError(try CogACTModel(directory: directory)) { error in
            guard case let .shapeMismatch(key, expected, found, _)? = error as? WeightError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "llm_backbone.llm.model.layers.0.mlp.gate_proj.weight")
            XCTAssertEqual(expected, [345, 128])
            XCTAssertEqual(found, [344, 128])
        }
    }

    /// A config within the size bounds but far larger than its checkpoint (here a 2²⁰ × 2²⁰
    /// embedding table, 4 TB in fp32) is refused before anything is allocated.
    func testConfigLargerThanItsCheckpointIsRefusedBeforeLoading() throws {
        var json = try fixtureJSON()
        var llm = json["llm"] as! [String: Any]
        llm["hidden"] = 1 << 20
        llm["vocab"] = 1 << 20
        json["llm"] = llm
        let directory = try modelDirectory(config: json)
        XCTAssertThrowsError(try CogACTModel(directory: directory)) { error in
            guard case let .checkpointSmallerThanConfig(parameters, elements, checkpoint)? = error as? WeightError else {
                return XCTFail("\(error)")
            }
            XCTAssertGreaterThan(parameters, 1 << 40)
            XCTAssertEqual(elements, (try? WeightStore(directory: Fixture.modelDirectory).elementCount) ?? -1)
            XCTAssertTrue(checkpoint.hasSuffix("model.safetensors"))
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

    /// In-memory statistics of the wrong width would index past q01/q99 when un-normalising.
    func testModelRefusesStatisticsOfTheWrongActionWidth() throws {
        let config = try ModelConfig.load(from: configURL)
        let statistics = DatasetStatistics(datasets: ["robot": ActionStatistics(q01: [0, 0], q99: [1, 1], mask: nil)])
        XCTAssertThrowsError(try CogACTModel(config: config, weights: RandomWeights(), statistics: statistics)) { error in
            guard case .invalidValue(_, let key, _)? = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "robot.action")
        }
    }

    func testUnnormalizerClipsThresholdsAndRespectsMask() {
        let stats = ActionStatistics(q01: [-1, 0, 0], q99: [3, 2, 1], mask: [true, false, true])
        let (normalized, actions) = Unnormalizer(statistics: stats).apply([0.5, 7, 0.49, -3, -0.2, 0.5])
        XCTAssertEqual(normalized, [0.5, 1, 0, -1, -0.2, 1])
        // masked: 0.5·(a+1)·(q99−q01)+q01; unmasked dim 1 passes the clipped value through.
        XCTAssertEqual(actions, [2, 1, 0.5, -1, -0.2, 1])
    }

    /// A model directory with `config` and the fixture's weights and statistics (symbolic links).
    private func modelDirectory(config: [String: Any]) throws -> URL {
        let directory = try SafeTensorsBuilder.temporaryDirectory()
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        for name in ["model.safetensors", "dataset_statistics.json"] {
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent(name),
                                                       withDestinationURL: Fixture.modelDirectory.appendingPathComponent(name))
        }
        return directory
    }

    private func fixtureJSON() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
    }

    private func decode(_ json: [String: Any]) throws {
        let config = try JSONFileDecoding.decode(ModelConfig.self, from: JSONSerialization.data(withJSONObject: json), file: "test.json")
        try config.validate(file: "test.json")
    }
}
