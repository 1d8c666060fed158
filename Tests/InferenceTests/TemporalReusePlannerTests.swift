import Imaging
import XCTest
@testable import Inference

/// The patch comparison and the reuse decision, on hand-made frames with known answers.
final class TemporalReusePlannerTests: XCTestCase {
    /// A 28×28 frame (2×2 patches of 14 px) whose patch p has every value `values[p]`.
    private func frame(_ values: [UInt8]) throws -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: 28 * 28 * 3)
        for y in 0 ..< 28 {
            for x in 0 ..< 28 {
                let patch = (y / 14) * 2 + x / 14
                for c in 0 ..< 3 { pixels[(y * 28 + x) * 3 + c] = values[patch] }
            }
        }
        return try RGBImage(width: 28, height: 28, pixels: pixels)
    }

    func testCosineAndMeanAbsoluteScoresMatchHandComputedValues() throws {
        // Patch 0: a uniform patch against itself scaled ×2 (cosine 1: the cosine ignores gain).
        // Patch 1: two values per pixel row — half the values 100, half 0 — against all 100: cos = 1/√2.
        var current = try frame([50, 100, 0, 7]).pixels
        for y in 0 ..< 14 { for x in 14 ..< 21 { for c in 0 ..< 3 { current[(y * 28 + x) * 3 + c] = 0 } } }
        let image = try RGBImage(width: 28, height: 28, pixels: current)
        let reference = try frame([100, 100, 0, 9]).pixels
        let cosine = PatchSimilarity.scores(image, reference, patchSize: 14, measure: .cosine)
        XCTAssertEqual(cosine[0], 1, accuracy: 1e-15)
        XCTAssertEqual(cosine[1], 1 / 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(cosine[2], 1, "two black patches are identical")
        XCTAssertEqual(cosine[3], 1, accuracy: 1e-15)
        let absolute = PatchSimilarity.scores(image, reference, patchSize: 14, measure: .meanAbsolute)
        XCTAssertEqual(absolute, [50, 50, 0, 2])
        XCTAssertEqual(PatchSimilarity.scores(image, try frame([0, 0, 0, 0]).pixels, patchSize: 14, measure: .cosine)[0], 0,
                       "a black patch against a lit one")
        XCTAssertTrue(PatchSimilarity.isStatic(0.9961, measure: .cosine, threshold: 0.996))
        XCTAssertFalse(PatchSimilarity.isStatic(1, measure: .cosine, threshold: 1), "threshold 1: nothing is static")
        XCTAssertTrue(PatchSimilarity.isStatic(1.9, measure: .meanAbsolute, threshold: 2))
        XCTAssertFalse(PatchSimilarity.isStatic(0, measure: .meanAbsolute, threshold: 0))
    }

    func testDecisionAppliesTheCapTheRelevanceFilterAndTheValves() throws {
        let planner = TemporalReusePlanner(patchSize: 14)
        let settings = TemporalReuseSettings(enabled: true, measure: .meanAbsolute, threshold: 3, maxReusedShare: 0.75,
                                             relevantShare: 0.25, refreshInterval: 3, maxChangedShare: 0.5)
        let ids: [Int32] = [1, 2, 3]
        let first = try frame([10, 20, 30, 40])
        let initial = planner.decide(frame: first, inputIDs: ids, relevance: [], settings: settings)
        XCTAssertEqual(initial.refresh, .firstFrame)
        planner.commit(initial, reused: [], frame: first, inputIDs: ids)

        // Patch 3 changed by 10 levels; 0–2 by 0, 1, 2 (all static, most similar first: 0, 1, 2).
        // The cap keeps 3 of 4 → {0, 1, 2}; relevance (one patch of four) removes patch 1.
        let second = try frame([10, 21, 32, 50])
        let decision = planner.decide(frame: second, inputIDs: ids, relevance: [0.1, 0.6, 0.2, nil], settings: settings)
        XCTAssertEqual(decision, TemporalReuseDecision(reusablePatches: [0, 2], staticPatches: 3, refresh: nil))
        planner.commit(decision, reused: [0, 2], frame: second, inputIDs: ids)

        // Patch 2 drifts one more level: against the frame its cache came from (30) it is 3 away,
        // no longer static, although it is only 1 away from the previous frame (32).
        let third = try frame([10, 21, 33, 50])
        let drifted = planner.decide(frame: third, inputIDs: ids, relevance: [], settings: settings)
        XCTAssertEqual(drifted.reusablePatches, [0, 1, 3])
        planner.commit(drifted, reused: [0, 1, 3], frame: third, inputIDs: ids)

        // The third inference since the full one: a periodic refresh.
        XCTAssertEqual(planner.decide(frame: third, inputIDs: ids, relevance: [], settings: settings).refresh, .periodic)
        let periodic = planner.decide(frame: third, inputIDs: ids, relevance: [], settings: settings)
        planner.commit(periodic, reused: [], frame: third, inputIDs: ids)
        XCTAssertEqual(planner.decide(frame: third, inputIDs: [1, 2], relevance: [], settings: settings).refresh, .newInstruction)
        XCTAssertEqual(planner.decide(frame: try frame([90, 90, 90, 50]), inputIDs: ids, relevance: [], settings: settings).refresh,
                       .sceneChange, "3 of 4 patches changed, more than half")
        XCTAssertEqual(planner.decide(frame: try frame([90, 90, 33, 50]), inputIDs: ids, relevance: [], settings: settings).refresh,
                       nil, "2 of 4 changed is not more than half")
        XCTAssertEqual(planner.decide(frame: try RGBImage(width: 14, height: 14, pixels: Array(repeating: 0, count: 588)), inputIDs: ids,
                                      relevance: [], settings: settings).refresh, .firstFrame, "a new frame size")
        planner.reset()
        XCTAssertEqual(planner.decide(frame: third, inputIDs: ids, relevance: [], settings: settings).refresh, .firstFrame)
    }

    func testSettingsAreValidatedWithTheKeyToFix() {
        let cases: [(TemporalReuseSettings, String)] = [
            (TemporalReuseSettings(threshold: 1.5), "threshold"),
            (TemporalReuseSettings(measure: .meanAbsolute, threshold: 300), "threshold"),
            (TemporalReuseSettings(maxReusedShare: -0.1), "max_reused_share"),
            (TemporalReuseSettings(relevantShare: 2), "relevant_share"),
            (TemporalReuseSettings(startLayer: 6), "start_layer"),
            (TemporalReuseSettings(relevanceLayer: 6), "relevance_layer"),
            (TemporalReuseSettings(refreshInterval: 0), "refresh_interval"),
            (TemporalReuseSettings(maxChangedShare: 1.01), "max_changed_share"),
        ]
        for (settings, key) in cases {
            XCTAssertThrowsError(try settings.validate(layersRun: 6), key) { error in
                guard case let TemporalReuseError.invalidValue(name, _, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(name, key)
            }
        }
        XCTAssertNoThrow(try TemporalReuseSettings(enabled: true).validate(layersRun: 6))
        XCTAssertEqual(TemporalReuseSettings().relevancePosition(layersRun: 32), 15, "VLA-Cache's layer 15")
        XCTAssertEqual(TemporalReuseSettings().relevancePosition(layersRun: 6), 2)
    }

    func testFLOPsFromTheLayerRecordsEqualTheAnalyticCountForDenseAndPrunedModels() throws {
        let ids = try Fixture.inputIDs()
        for settings in [AccelerationSettings.dense, AccelerationSettings(droppedLayers: [2, 4], visualTokens: 56, selectionLayer: 1)] {
            let model = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: settings))
            let projected = [Float](repeating: 0.01, count: model.patchCount * model.config.llm.hidden)
            _ = try model.cognition(projectedPatches: projected, inputIDs: ids)
            XCTAssertEqual(model.lastForwardFLOPs(tokenCount: ids.count), model.flopCount(tokenCount: ids.count), "\(settings)")
        }
    }
}
