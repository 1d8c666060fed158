import Foundation
import XCTest
@testable import Inference

final class PresetTests: XCTestCase {
    func testTinyPresetIsTheFixtureArchitecture() throws {
        XCTAssertEqual(ModelPreset.tiny.config, try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json")))
    }

    /// research/cogact.md §12 estimates CogACT-Base at ≈ 0.15 (DINO) + 0.20 (SigLIP) TFLOP vision,
    /// 0.04 projector, 3.6 LLaMA and 0.06 DiT; our exact counts must agree within 10 %.
    func testBaseFLOPCountAgreesWithTheResearchEstimate() {
        let flops = FLOPCount(config: ModelPreset.base.config, tokenCount: 20)
        XCTAssertEqual(flops.vision / 1e12, 0.35, accuracy: 0.035)
        XCTAssertEqual(flops.projector / 1e12, 0.037, accuracy: 0.004)
        XCTAssertEqual(flops.llm / 1e12, 3.6, accuracy: 0.36)
        XCTAssertEqual(flops.action / 1e12, 0.058, accuracy: 0.006)
    }

    func testSmallPresetKeepsBaseProportions() {
        let small = FLOPCount(config: ModelPreset.small.config, tokenCount: 20)
        let base = FLOPCount(config: ModelPreset.base.config, tokenCount: 20)
        XCTAssertEqual(ModelPreset.small.config.vision.patchCount, 256)
        for (part, whole) in [(\FLOPCount.vision, 0.01), (\.projector, 0.002), (\.llm, 0.01), (\.action, 0.002)] {
            XCTAssertEqual(small[keyPath: part] / small.total, base[keyPath: part] / base.total, accuracy: whole)
        }
    }

    func testRandomWeightsAreDeterministicAndShaped() throws {
        let source = RandomWeights(seed: 3)
        let a = try source.tensor("x.weight", shape: [4, 8]), b = try source.tensor("x.weight", shape: [4, 8])
        XCTAssertEqual(a.array, b.array)
        XCTAssertNotEqual(a.array, try source.tensor("y.weight", shape: [4, 8]).array)
        XCTAssertTrue(a.array.allSatisfy { abs($0) <= 1 / Float(8).squareRoot() })
        XCTAssertEqual(try source.tensor("blocks.0.norm.weight", shape: [3]).array, [1, 1, 1])
    }
}
