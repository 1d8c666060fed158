import XCTest
@testable import Inference

/// EfficientVLA end to end on `cogact-tiny`: identity, calibration, token selection, MLP width
/// pruning, FLOP accounting.
final class AccelerationTests: XCTestCase {
    private var model: CogACTModel { Fixture.model }

    /// Every switch at identity (no layer dropped, K = 256, N = 1, MLP ratio 1) reproduces the
    /// dense reference and the dense engine bitwise.
    func testIdentitySettingsReproduceTheDenseReference() throws {
        let identity = AccelerationSettings(droppedLayers: [], visualTokens: 256, cacheInterval: 1, mlpKeepRatio: 1)
        let accelerated = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: identity))
        let inputs = (dino: try Fixture.floats("pixel_values_dino"), siglip: try Fixture.floats("pixel_values_siglip"))
        let key = try Fixture.unnormKey()
        let fast = try accelerated.forward(pixelValuesDino: inputs.dino, pixelValuesSiglip: inputs.siglip, inputIDs: Fixture.inputIDs(),
                                           noise: Fixture.floats("noise"), unnormKey: key)
        let dense = try model.forward(pixelValuesDino: inputs.dino, pixelValuesSiglip: inputs.siglip, inputIDs: Fixture.inputIDs(),
                                      noise: Fixture.floats("noise"), unnormKey: key)
        XCTAssertEqual(fast.sample, dense.sample)
        XCTAssertEqual(fast.actions, dense.actions)
        assertClose(fast.cognition, try Fixture.floats("cognition"), "cognition")
        assertClose(fast.sample, Fixture.slice(try Fixture.floats("ddim_x"), part: 9, of: 10), "ddim_x[9]")
        assertClose(fast.actions, try Fixture.floats("actions"), "actions")
        XCTAssertNil(accelerated.lastKeptVisualTokens)
    }

    /// Calibration on the fixture's inputs gives the reference `layer_importance` (transformers
    /// hidden states, 1 − mean cos).
    func testCalibrationScoresEqualTheReferenceLayerImportance() throws {
        let calibrator = try Calibrator(model: model)
        try calibrator.add(CalibrationSample(dinoPixels: Fixture.floats("pixel_values_dino"), siglipPixels: Fixture.floats("pixel_values_siglip"),
                                             inputIDs: Fixture.inputIDs()))
        let result = try calibrator.result()
        assertClose(result.layerImportance, try Fixture.floats("layer_importance"), "layer_importance")
        XCTAssertEqual(result.channelImportance.count, 6)
        XCTAssertTrue(result.channelImportance.allSatisfy { $0.count == 344 && $0.allSatisfy { $0 > 0 && $0.isFinite } })
        // Averaging two identical samples leaves the mean unchanged.
        try calibrator.add(projectedPatches: Fixture.floats("projected"), inputIDs: Fixture.inputIDs())
        assertClose(try calibrator.result().layerImportance, result.layerImportance, "two identical samples")
    }

    func testCalibrationRejectsAPrunedModelAndNoSamples() throws {
        let pruned = try CogACTModel(directory: Fixture.modelDirectory,
                                     options: EngineOptions(blasThreads: 2, acceleration: AccelerationSettings(droppedLayers: [2])))
        XCTAssertThrowsError(try Calibrator(model: pruned))
        XCTAssertThrowsError(try Calibrator(model: model).result())
    }

    /// Lowest scores are dropped (ties: lower index), highest channel scores kept.
    func testPlanDropsTheLowestScoresAndKeepsTheTopChannels() throws {
        let result = CalibrationResult(layerImportance: [0.5, 0.1, 0.3, 0.1, 0.9],
                                       channelImportance: Array(repeating: [0.2, 0.9, 0.4, 0.9], count: 5), sampleCount: 1)
        XCTAssertEqual(result.layersToDrop(count: 2), [1, 3])
        XCTAssertEqual(result.layersToDrop(count: 3), [1, 2, 3])
        XCTAssertEqual(result.channelsToKeep(layer: 0, ratio: 0.5), [1, 3])
        XCTAssertEqual(result.channelsToKeep(layer: 0, ratio: 0.75), [1, 2, 3])
        // Out-of-range ratios are clamped instead of trapping in the Int conversion.
        XCTAssertEqual(result.channelsToKeep(layer: 0, ratio: 1e300), [0, 1, 2, 3])
        for ratio in [0, -Double.infinity, .nan] { XCTAssertEqual(result.channelsToKeep(layer: 0, ratio: ratio), [1], "\(ratio)") }
        let settings = result.settings(dropCount: 2, mlpKeepRatio: 0.5)
        XCTAssertEqual(settings.mlpChannels.map(\.layer), [0, 2, 4])

        let plan = PruningPlan(result: result, dropCount: 2, mlpKeepRatio: 0.5,
                               provenance: .init(modelDirectory: "m", bag: "b.mcap", sampleCount: 1, instructions: ["pick"], date: "2026"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
        try plan.write(to: url)
        XCTAssertEqual(try PruningPlan.load(from: url), plan)
        XCTAssertEqual(plan.settings.droppedLayers, [1, 3])
        let handEdited = try JSONDecoder().decode(MLPChannelPlan.self, from: Data(#"{"layer": 4, "keep": [9, 2, 5]}"#.utf8))
        XCTAssertEqual(handEdited, MLPChannelPlan(layer: 4, keep: [2, 5, 9]))
        XCTAssertEqual(handEdited.keep, [2, 5, 9])
    }

    func testInvalidSettingsAreRejectedWithTypedErrors() {
        let config = model.config
        XCTAssertThrowsError(try AccelerationSettings(droppedLayers: [6]).validate(for: config)) {
            XCTAssertEqual($0 as? AccelerationError, .layerOutOfRange(6, layers: 6))
        }
        XCTAssertThrowsError(try AccelerationSettings(droppedLayers: Set(0 ..< 6)).validate(for: config))
        XCTAssertThrowsError(try AccelerationSettings(cacheInterval: 0).validate(for: config))
        XCTAssertThrowsError(try AccelerationSettings(mlpKeepRatio: 0.75).validate(for: config)) {
            XCTAssertEqual($0 as? AccelerationError, .missingChannelPlan(ratio: 0.75))
        }
        XCTAssertThrowsError(try AccelerationSettings(mlpChannels: [MLPChannelPlan(layer: 0, keep: [344])]).validate(for: config))
        let twice = [MLPChannelPlan(layer: 2, keep: [0, 1]), MLPChannelPlan(layer: 2, keep: [5])]
        XCTAssertThrowsError(try AccelerationSettings(mlpChannels: twice).validate(for: config)) {
            XCTAssertEqual($0 as? AccelerationError, .duplicateChannelPlan(layer: 2))
        }
        XCTAssertThrowsError(try AccelerationSettings(visualTokens: 56, selectionLayer: 5).validate(for: config))
        XCTAssertThrowsError(try model.updateRuntimeAcceleration(AccelerationSettings(droppedLayers: [1])))
    }

    /// The model's selection equals the rule applied to the reference attention of layer 1 and
    /// the reference states after layer 1; the prefill then runs on BOS + kept + text rows.
    func testTokenSelectionFollowsTheReferenceAttention() throws {
        let settings = AccelerationSettings(visualTokens: 56)
        let selecting = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: settings))
        let ids = try Fixture.inputIDs(), projected = try Fixture.floats("projected")
        let recorder = LlamaRecorder()
        let cognition = try selecting.cognition(projectedPatches: projected, inputIDs: ids, observer: recorder)

        let patches = 256, rows = 276, heads = 4, d = 128
        let attention = try Fixture.floats("llm_attention")
        var relevance = [Double](repeating: 0, count: patches)
        for head in 0 ..< heads {
            Fixture.slice(attention, part: 1 * heads + head, of: 6 * heads).withUnsafeBufferPointer {
                VisualTokenSelection.accumulateRelevance(probabilities: $0, keyRows: rows, contextRows: 1 + patches ..< rows,
                                                         visualRows: 1 ..< 1 + patches, heads: heads, into: &relevance)
            }
        }
        let afterLayer1 = Array(Fixture.slice(try Fixture.floats("llm_layer_states"), part: 2, of: 7)[d ..< (1 + patches) * d])
        let expected = afterLayer1.withUnsafeBufferPointer {
            VisualTokenSelection.select(scores: VisualTokenSelection.minMaxNormalized(relevance), features: $0, width: d,
                                        budget: 56, keyTokens: 4, taskRatio: 0.5)
        }
        XCTAssertEqual(selecting.lastKeptVisualTokens, expected.kept)
        XCTAssertEqual(expected.kept.count, 56)
        XCTAssertEqual(recorder.states.map { $0.count / d }, [276, 276, 276, 76, 76, 76, 76])
        XCTAssertTrue(cognition.allSatisfy(\.isFinite))

        // Projector features as the diversity embedding change only the diversity group.
        var byProjection = settings
        byProjection.diversityFeatures = .projectedPatches
        try selecting.updateRuntimeAcceleration(byProjection)
        _ = try selecting.cognition(projectedPatches: projected, inputIDs: ids)
        let kept = try XCTUnwrap(selecting.lastKeptVisualTokens)
        XCTAssertTrue(Set(expected.key + expected.task).isSubset(of: Set(kept)))
    }

    /// The paper's budgets run through the model: K visual rows after the selection layer.
    func testPaperBudgetsShortenTheSequence() throws {
        let selecting = try CogACTModel(directory: Fixture.modelDirectory,
                                        options: EngineOptions(blasThreads: 2, acceleration: AccelerationSettings(visualTokens: 112)))
        let ids = try Fixture.inputIDs(), projected = try Fixture.floats("projected")
        for budget in [112, 96, 72, 56] {
            try selecting.updateRuntimeAcceleration(AccelerationSettings(visualTokens: budget))
            let recorder = LlamaRecorder()
            let cognition = try selecting.cognition(projectedPatches: projected, inputIDs: ids, observer: recorder)
            XCTAssertEqual(selecting.lastKeptVisualTokens?.count, budget)
            XCTAssertEqual(recorder.states.last.map { $0.count / 128 }, 1 + budget + 19, "K = \(budget)")
            XCTAssertTrue(cognition.allSatisfy(\.isFinite))
        }
    }

    /// Loading only some MLP channels equals the dense layer with the other channels' down
    /// columns zeroed (they then contribute nothing), and keeping every channel is bitwise dense.
    func testMLPChannelPruningEqualsZeroingThePrunedChannels() throws {
        let keep = Array(stride(from: 0, to: 344, by: 3)) + [10, 20]
        let plans = (0 ..< 6).map { MLPChannelPlan(layer: $0, keep: Array(Set(keep))) }
        let pruned = try CogACTModel(directory: Fixture.modelDirectory,
                                     options: EngineOptions(blasThreads: 2, acceleration: AccelerationSettings(mlpKeepRatio: 0.35, mlpChannels: plans)))
        XCTAssertEqual(pruned.llm.mlpWidths.values.sorted(), Array(repeating: plans[0].keep.count, count: 6))
        let config = try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json"))
        let statistics = try DatasetStatistics.load(from: Fixture.modelDirectory.appendingPathComponent("dataset_statistics.json"),
                                                    actionDim: config.action.actionDim)
        let zeroed = try CogACTModel(config: config, weights: ZeroedChannels(base: WeightStore(directory: Fixture.modelDirectory),
                                                                             keep: Set(plans[0].keep), width: 344),
                                     statistics: statistics, options: EngineOptions(blasThreads: 2))
        let projected = try Fixture.floats("projected"), ids = try Fixture.inputIDs()
        let expected = try zeroed.cognition(projectedPatches: projected, inputIDs: ids)
        assertClose(try pruned.cognition(projectedPatches: projected, inputIDs: ids), expected, "pruned vs zeroed", tolerance: 1e-5)
        XCTAssertGreaterThan(relativeL2(expected, try Fixture.floats("cognition")), 1e-3)

        let all = (0 ..< 6).map { MLPChannelPlan(layer: $0, keep: Array(0 ..< 344)) }
        let full = try CogACTModel(directory: Fixture.modelDirectory,
                                   options: EngineOptions(blasThreads: 2, acceleration: AccelerationSettings(mlpChannels: all)))
        XCTAssertEqual(try full.cognition(projectedPatches: projected, inputIDs: ids),
                       try model.cognition(projectedPatches: projected, inputIDs: ids))
    }

    /// Hand count on cogact-tiny (d = 128, kv width 128, 6 layers, MLP 344, 256 patches + 20 ids
    /// = 276 rows; DiT hidden 64, depth 3, 17 tokens, CFG batch 2, 10 steps) with layer 3
    /// dropped, K = 56 after position 1, 258 MLP channels per layer, N = 5.
    func testFLOPCountMatchesAHandCountOnTheTinyModel() {
        let plans = [0, 1, 2, 4, 5].map { MLPChannelPlan(layer: $0, keep: Array(0 ..< 258)) }
        let settings = AccelerationSettings(droppedLayers: [3], visualTokens: 56, cacheInterval: 5, mlpKeepRatio: 0.75, mlpChannels: plans)
        let dense = FLOPCount(config: model.config, tokenCount: 20)
        let fast = FLOPCount(config: model.config, tokenCount: 20, acceleration: settings)
        // Layers 0, 1 (positions 0, 1) on 276 rows, i = 258:
        //   qkv 2·276·128·384 = 27 131 904; scores+values 4·276²·128 = 39 002 112;
        //   o 2·276·128² = 9 043 968; MLP 6·276·128·258 = 54 687 744 → 129 865 728 each.
        // Layers 2, 4 on 1 + 56 + 19 = 76 rows:
        //   2·76·128·384 = 7 471 104; 4·76²·128 = 2 957 312; 2·76·128² = 2 490 368;
        //   6·76·128·258 = 15 058 944 → 27 977 728 each.
        // Layer 5 (last, one query row over 76 keys): k,v 2·76·128·256 = 4 980 736; q 2·128² = 32 768;
        //   attention 4·76·128 = 38 912; o 32 768; MLP 6·128·258 = 198 144 → 5 283 328.
        let llm: Double = 2 * 129_865_728 + 2 * 27_977_728 + 5_283_328
        XCTAssertEqual(fast.llm, llm)
        // DiT block on 34 rows: 2·34·64·(3·64 + 64 + 8·64) = 3 342 336 + attention 2·4·17²·64 = 147 968 → 3 490 304.
        // Per step: x-embed on the 16 actions once 2·16·7·64 = 14 336, final layer on 2·16 action rows
        // 2·32·64·7 = 28 672, timestep MLP 2·64·(256 + 64) = 40 960.
        // Conditions once: 2·2·128·64 = 32 768. Steps 0 and 5 run the 3 blocks.
        let action: Double = 2 * 3 * 3_490_304 + 10 * (14_336 + 28_672 + 40_960) + 32_768
        XCTAssertEqual(fast.action, action)
        XCTAssertEqual(fast.vision, dense.vision)
        XCTAssertEqual(fast.projector, dense.projector)
        XCTAssertEqual(dense.action, 10 * (3 * 3_490_304 + 14_336 + 28_672 + 40_960) + 32_768)
        XCTAssertEqual(FLOPCount(config: model.config, tokenCount: 20, acceleration: .dense), dense)
    }
}

/// The paper's Table 1 (CogACT-Base, efficientvla.md §5): vision 405.50 G, action 57.96 G dense
/// and 11.72 G with N = 5; EfficientVLA (22 layers, MLP 8256, 56 tokens, N = 5) at 28.9 % of
/// dense. Our LLaMA count omits the LM head the paper's total includes (≈ 2·279·4096·32064 ≈
/// 73 G dense), and the paper's selection layer is uncertain (K = 2 or 3, §3.3), so the ratio
/// is checked to ±1.5 points; the vision and action stages, which we count the same way, to 1 %.
final class PaperFLOPTests: XCTestCase {
    func testBasePresetWithThePaperSettingsMatchesTable1() {
        let config = ModelPreset.base.config
        let plans = (0 ..< 22).map { MLPChannelPlan(layer: $0, keep: Array(0 ..< 8256)) }
        let paper = AccelerationSettings(droppedLayers: Set(22 ..< 32), visualTokens: 56, cacheInterval: 5, mlpKeepRatio: 0.75,
                                         mlpChannels: plans)
        let dense = FLOPCount(config: config, tokenCount: 20), fast = FLOPCount(config: config, tokenCount: 20, acceleration: paper)
        XCTAssertEqual((dense.vision + dense.projector) / 405.50e9, 1, accuracy: 0.01)
        XCTAssertEqual(dense.action / 57.96e9, 1, accuracy: 0.01)
        XCTAssertEqual(fast.action / 11.72e9, 1, accuracy: 0.01)
        XCTAssertEqual(fast.total / dense.total, 0.289, accuracy: 0.015)
    }
}

/// A weight source whose MLP down-projection columns outside `keep` read as zero.
private struct ZeroedChannels: WeightSource {
    let base: WeightSource
    let keep: Set<Int>
    let width: Int

    func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        try base.read(name, shape: shape, into: destination)
        guard name.hasSuffix("mlp.down_proj.weight") else { return }
        for row in 0 ..< shape[0] {
            for column in 0 ..< width where !keep.contains(column) { destination[row * width + column] = 0 }
        }
    }
}
