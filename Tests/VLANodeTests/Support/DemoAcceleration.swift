import Foundation
import Inference
import XCTest
@testable import VLANode

/// The shipped accelerated demo (launch/demo-accelerated.yaml, demo/prune-plan.json) and independent
/// expectations for it: the plan read as plain JSON (not through `PruningPlan`) and analytic FLOPs.
enum DemoAcceleration {
    static let planURL = TestPaths.packageRoot.appendingPathComponent("demo/prune-plan.json")
    static let launchURL = TestPaths.packageRoot.appendingPathComponent("launch/demo-accelerated.yaml")

    /// The demo model's config.json.
    static func modelConfig() throws -> ModelConfig {
        try ModelConfig.load(from: TestPaths.demoModel.appendingPathComponent("config.json"))
    }

    /// The `node.acceleration` section of the shipped launch file, its plan path made absolute
    /// against the package root (the file's relative path assumes the package root as working directory).
    static func launchSettings() throws -> LaunchAcceleration {
        var settings = try LaunchLoader.load(path: launchURL.path).acceleration
        guard case .planFile(let path) = settings.layerPruning else {
            throw XCTSkip("launch/demo-accelerated.yaml has no prune_plan")  // asserted by LaunchLoaderTests
        }
        settings.layerPruning = .planFile(TestPaths.packageRoot.appendingPathComponent(path).path)
        return settings
    }

    /// `droppedLayers`, `mlpKeepRatio` and `mlpChannels` of the plan file, parsed with JSONSerialization.
    static func planJSON(_ url: URL = planURL) throws -> (dropped: [Int], ratio: Double, channels: [Int: [Int]]) {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let dropped = try XCTUnwrap(root["droppedLayers"] as? [Int])
        let entries = try XCTUnwrap(root["mlpChannels"] as? [[String: Any]])
        var channels: [Int: [Int]] = [:]
        for entry in entries {
            channels[try XCTUnwrap(entry["layer"] as? Int)] = try XCTUnwrap(entry["keep"] as? [Int])
        }
        return (dropped, try XCTUnwrap(root["mlpKeepRatio"] as? Double), channels)
    }

    /// Analytic GFLOP of one inference of the demo model for `instruction`: dense, and with the plan's
    /// layers and channels plus `visualTokens` and `cacheInterval`.
    static func expectedGFLOP(instruction: String, visualTokens: Int, cacheInterval: Int) throws -> (dense: Double, accelerated: Double) {
        let config = try modelConfig()
        let tokenizer = try SentencePieceTokenizer(contentsOf: TestPaths.demoModel.appendingPathComponent("tokenizer.model"))
        let tokens = try PromptBuilder(config: config, tokenizer: tokenizer).inputIDs(for: instruction).count
        let plan = try planJSON()
        let settings = AccelerationSettings(droppedLayers: Set(plan.dropped), visualTokens: visualTokens, cacheInterval: cacheInterval,
                                            mlpKeepRatio: plan.ratio, mlpChannels: plan.channels.map { MLPChannelPlan(layer: $0.key, keep: $0.value) })
        return (FLOPCount(config: config, tokenCount: tokens).total / 1e9,
                FLOPCount(config: config, tokenCount: tokens, acceleration: settings).total / 1e9)
    }
}
