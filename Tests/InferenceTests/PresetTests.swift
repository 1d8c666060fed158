import Foundation
import XCTest
@testable import Inference

final class PresetTests: XCTestCase {
    func testTinyPresetIsTheFixtureArchitecture() throws {
        XCTAssertEqual(ModelPreset.tiny.config, try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json")))
    }

    /// An independent estimate from the module shapes puts CogACT-Base at ≈ 0.15 (DINO) + 0.20 (SigLIP) TFLOP vision,
    /// 0.04 projector, 3.6 LLaMA and 0.06 DiT; our exact counts must agree within 10 %.
    func testBaseFLOPCountAgreesWithTheResearchEstimate() {
        let flops = FLOPCount(config: ModelPreset.base.config, tokenCount: 20)
        XCTAssertEqual(flops.vision / 1e12, 0.35, accuracy: 0.035)
        XCTAssertEqual(flops.projector / 1e12, 0.037, accuracy: 0.004)
        XCTAssertEqual(flops.llm / 1e12, 3.6, accuracy: 0.36)
        XCTAssertEqual(flops.action / 1e12, 0.058, accuracy: 0.006)
    }

    /// Parameter totals computed from the released module definitions: DINO 303.2 M,
    /// SigLIP 412.4 M (+ 15.2 M unused MAP head), projector 71.4 M, LLaMA 6.739 B (incl. the
    /// 131 M LM head we skip), DiT-B 89.0 M (incl. 6 k unused history embedder). We load only
    /// blocks 0…22 of 24 (DINO) and 0…25 of 27 (SigLIP).
    func testBaseParameterCountAgreesWithTheResearchTotals() {
        // One block: 2 LayerNorms, qkv, proj, fc1, fc2 (+ 2 LayerScale for DINO).
        let lmHead = 32064 * 4096, dinoBlock = 12_598_272, siglipBlock = 15_239_504
        let expected = 303.2e6 - Double(dinoBlock) + 412.4e6 - Double(siglipBlock) + 71.4e6 + 6.739e9 - Double(lmHead) + 89.0e6
        XCTAssertEqual(Double(ParameterCount.loaded(ModelPreset.base.config)), expected, accuracy: expected * 0.0005)
        XCTAssertEqual(ParameterCount.loaded(ModelPreset.tiny.config), try Self.fixtureParameterCountWithoutUnusedTensors())
    }

    /// The tiny fixture file minus tensors the engine does not load (final ViT norms, SigLIP
    /// MAP head, DiT history embedder, ViT blocks after the feature layer).
    private static func fixtureParameterCountWithoutUnusedTensors() throws -> Int {
        let file = try SafeTensorsFile(path: Fixture.modelDirectory.appendingPathComponent("model.safetensors").path)
        let config = ModelPreset.tiny.config
        func isUsed(_ key: String) -> Bool {
            if key.contains(".attn_pool.") || key.contains("history_embedder") || key.hasSuffix("featurizer.norm.weight")
                || key.hasSuffix("featurizer.norm.bias") || key.contains("lm_head") { return false }
            for (tower, c) in [("dino", config.vision.dino), ("siglip", config.vision.siglip)] {
                if let range = key.range(of: "\(tower)_featurizer.blocks."),
                   let block = Int(key[range.upperBound...].prefix { $0.isNumber }), block > c.featureLayer { return false }
            }
            return true
        }
        return file.keys.filter(isUsed).reduce(0) { $0 + (file.entry($1)?.shape.reduce(1, *) ?? 0) }
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

/// `/proc` status parsing: values above 9 999 999 kB follow the tab directly.
final class ProcessMemoryTests: XCTestCase {
    func testStatusFieldsWithAndWithoutPadding() {
        let status = "Name:\tvla-node\nVmHWM:\t10485760 kB\nVmRSS:\t  123456 kB\n"
        XCTAssertEqual(ProcessMemory.field("VmHWM", in: status), 10_485_760 * 1024)
        XCTAssertEqual(ProcessMemory.field("VmRSS", in: status), 123_456 * 1024)
        XCTAssertNil(ProcessMemory.field("VmPeak", in: status))
        XCTAssertNotNil(ProcessMemory.residentBytes)
    }
}
