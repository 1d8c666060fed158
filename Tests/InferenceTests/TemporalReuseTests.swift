import Foundation
import Imaging
import XCTest
@testable import Inference

/// Temporal reuse on the tiny fixture model (224 px, 256 patches, 6 layers): the exactness
/// guarantees of issue 12 and the work it saves.
final class TemporalReuseTests: XCTestCase {
    private static let unnormKey = "fixture_robot", instruction = "pick coke can"
    /// The same math over fewer GEMM rows: OpenBLAS blocks a 20-row product differently from a
    /// 276-row one, so fp32 rounding differs (~6e-8 per operation). Six layers and the DiT keep
    /// that near 1e-6; 1e-5 still catches any wrong row, position or cache entry (≥ 1e-3).
    private static let rowCountTolerance = 1e-5

    private func policy(acceleration: AccelerationSettings = .dense) throws -> CogACTPolicy {
        let model = acceleration == .dense ? Fixture.model
            : try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: acceleration))
        let tokenizer = try SentencePieceTokenizer(contentsOf: Fixture.modelDirectory.appendingPathComponent("tokenizer.model"))
        let policy = try CogACTPolicy(model: model, tokenizer: tokenizer)
        policy.reusesVisionFeatures = false
        return policy
    }

    /// The fixture's 320×256 frame, already at the towers' 224 px so patches map 1:1 to pixels.
    private func frame() throws -> RGBImage {
        let (shape, values) = try Fixture.reference.integerTensor("image_u8")
        let raw = try RGBImage(width: shape[1], height: shape[0], pixels: values.map { UInt8($0) })
        return ImageResampler.resizeBicubic(raw, width: 224, height: 224)
    }

    /// `image` with the values of the 14 px patches in `patches` passed through `change`.
    private func changing(_ patches: [Int], of image: RGBImage, _ change: (Int, UInt8) -> UInt8) throws -> RGBImage {
        var pixels = image.pixels
        for patch in patches {
            let top = (patch / 16) * 14, left = (patch % 16) * 14
            for y in top ..< top + 14 {
                for i in (y * 224 + left) * 3 ..< (y * 224 + left + 14) * 3 { pixels[i] = change(i, pixels[i]) }
            }
        }
        return try RGBImage(width: 224, height: 224, pixels: pixels)
    }

    /// Small sensor-like noise: ±1 level on every other value (cosine ≈ 1, far above 0.996).
    private func jittering(_ patches: [Int], of image: RGBImage) throws -> RGBImage {
        try changing(patches, of: image) { i, value in i % 2 == 0 ? (value < 255 ? value + 1 : value - 1) : value }
    }

    /// A pseudo-random pattern in place of the patch (cosine ≈ 0.75 against a natural patch).
    private func scrambling(_ patches: [Int], of image: RGBImage) throws -> RGBImage {
        try changing(patches, of: image) { i, _ in UInt8((i * 37 + 11) % 256) }
    }

    private func predict(_ policy: CogACTPolicy, _ image: RGBImage, seed: UInt64 = 3) throws -> PolicyPrediction {
        try policy.predictAction(image: image, instruction: Self.instruction, unnormKey: Self.unnormKey, seed: seed)
    }

    /// Every valid cache entry, keyed by (layer position, row).
    private func entries(_ cache: PrefillCache, rows: Int, layers: Int) -> [[Int]: [Float]] {
        var result: [[Int]: [Float]] = [:]
        for position in 0 ..< layers {
            for row in 0 ..< rows where cache.isValid(row: row, at: position) {
                result[[position, row]] = Array(UnsafeBufferPointer(start: cache.entry(row: row, at: position), count: cache.rowWidth))
            }
        }
        return result
    }

    func testThresholdOneAndFullRefreshEqualTheDensePathBitForBit() throws {
        let first = try frame(), second = try jittering(Array(0 ..< 40), of: first)
        let dense = try policy()
        let expected = try [first, second, second].map { try predict(dense, $0) }
        let nothingStatic = TemporalReuseSettings(enabled: true, threshold: 1, maxReusedShare: 1, relevantShare: 0, startLayer: 0)
        let alwaysRefresh = TemporalReuseSettings(enabled: true, threshold: 0, maxReusedShare: 1, relevantShare: 0, startLayer: 0,
                                                  refreshInterval: 1)
        let inTowers = [nothingStatic, alwaysRefresh].map { var settings = $0; settings.visionTowers = true; return settings }
        for settings in [nothingStatic, alwaysRefresh] + inTowers {
            let reusing = try policy()
            try reusing.configureTemporalReuse(settings)
            for (image, reference) in zip([first, second, second], expected) {
                let prediction = try predict(reusing, image)
                XCTAssertEqual(prediction.cognition, reference.cognition, "cognition, \(settings)")
                XCTAssertEqual(prediction.sample, reference.sample, "DDIM sample, \(settings)")
                XCTAssertEqual(prediction.actions, reference.actions, "actions, \(settings)")
                XCTAssertEqual(prediction.temporalReuse?.reused, 0)
                XCTAssertEqual(prediction.temporalReuse?.recomputed, 256)
                XCTAssertEqual(prediction.flops, reference.flops)
            }
        }
    }

    func testRefreshReasonsAndThePeriodicValve() throws {
        let reusing = try policy()
        try reusing.configureTemporalReuse(TemporalReuseSettings(enabled: true, refreshInterval: 3))
        let image = try frame()
        var refreshes: [FullRefreshReason?] = []
        for _ in 0 ..< 4 { refreshes.append(try predict(reusing, image).temporalReuse?.refresh) }
        XCTAssertEqual(refreshes, [.firstFrame, nil, nil, .periodic])
        XCTAssertEqual(try predict(reusing, try scrambling(Array(0 ..< 129), of: image)).temporalReuse?.refresh, .sceneChange)
        XCTAssertEqual(try predict(reusing, try scrambling(Array(0 ..< 128), of: image)).temporalReuse?.refresh, nil)
        let renamed = try reusing.predictAction(image: image, instruction: "open the drawer", unnormKey: Self.unnormKey, seed: 3)
        XCTAssertEqual(renamed.temporalReuse?.refresh, .newInstruction)
        reusing.resetTemporalReuse()
        XCTAssertEqual(try predict(reusing, image).temporalReuse?.refresh, .firstFrame)
    }

    func testAllStaticUnchangedFrameReusesExactlyTheRecomputedKeysValues() throws {
        let reusing = try policy()
        try reusing.configureTemporalReuse(TemporalReuseSettings(enabled: true, maxReusedShare: 1, relevantShare: 0, startLayer: 0))
        let image = try frame()
        let full = try predict(reusing, image)
        let reused = try predict(reusing, image)
        XCTAssertEqual(reused.temporalReuse, TemporalReuseReport(reused: 256, recomputed: 0, staticPatches: 256, refresh: nil))
        let rows = 1 + 256 + reused.inputIDs.count - 1, layers = Fixture.model.llm.layerIndices.count
        let afterReuse = entries(reusing.session.cache, rows: rows, layers: layers)
        reusing.resetTemporalReuse()
        let recomputed = try predict(reusing, image)
        XCTAssertEqual(recomputed.cognition, full.cognition)
        let afterRecompute = entries(reusing.session.cache, rows: rows, layers: layers)
        XCTAssertEqual(afterReuse.count, rows * layers)
        XCTAssertEqual(Set(afterReuse.keys), Set(afterRecompute.keys))
        for (key, values) in afterRecompute where (1 ... 256).contains(key[1]) {
            XCTAssertEqual(afterReuse[key], values, "reused keys/values of layer \(key[0]), row \(key[1])")
        }
        for (key, values) in afterRecompute where !(1 ... 256).contains(key[1]) {
            assertClose(afterReuse[key] ?? [], values, "text keys/values of layer \(key[0]), row \(key[1])", tolerance: Self.rowCountTolerance)
        }
        assertClose(reused.cognition, full.cognition, "cognition", tolerance: Self.rowCountTolerance)
        assertClose(reused.actions, full.actions, "actions", tolerance: Self.rowCountTolerance)
    }

    func testReuseWithTokenSelectionResumesNewlyKeptTokensFromTheirStoredState() throws {
        // Reuse starts before the selection layer. The second prefill keeps 64 tokens where the first
        // kept 32; the 32 new ones have no cache entries after the selection layer and resume from
        // their stored selection-layer state, the old 32 are recomputed, every other patch reuses
        // its pre-selection entries. On an unchanged frame each of those is exact, so the result
        // equals a full prefill that keeps 64 (up to the GEMM row-count rounding).
        let narrow = AccelerationSettings(visualTokens: 32, selectionLayer: 2)
        var wide = narrow
        wide.visualTokens = 64
        let model = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: narrow))
        let pixels = try policy().preprocess(try frame())
        let projected = try model.encodeImage(dino: pixels.dino, siglip: pixels.siglip)
        let ids = try Fixture.inputIDs()
        let cache = PrefillCache(kvWidth: model.config.llm.kvHeads * model.config.llm.headDim, hidden: model.config.llm.hidden)
        let settings = TemporalReuseSettings(enabled: true, startLayer: 1)
        _ = try model.cognition(projectedPatches: projected, inputIDs: ids, temporal: TemporalPrefill(cache: cache, patches: [], settings: settings))
        let keptFirst = try XCTUnwrap(model.lastKeptVisualTokens)
        try model.updateRuntimeAcceleration(wide)
        let reusable = Array(Set(0 ..< 256).subtracting(keptFirst)).sorted()
        let resumed = try model.cognition(projectedPatches: projected, inputIDs: ids,
                                          temporal: TemporalPrefill(cache: cache, patches: reusable, settings: settings))
        XCTAssertEqual(cache.reusedRows, Set(reusable.map { $0 + 1 }))
        let text = ids.count - 1
        XCTAssertEqual(model.llm.lastWork.map(\.recomputedRows), [1 + 256 + text, 1 + 32 + text, 1 + 32 + text, 1 + 64 + text, 1 + 64 + text, 1 + 64 + text])
        let reference = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: wide))
        let full = try reference.cognition(projectedPatches: projected, inputIDs: ids)
        XCTAssertEqual(model.lastKeptVisualTokens, reference.lastKeptVisualTokens)
        XCTAssertTrue(Set(keptFirst).isSubset(of: Set(try XCTUnwrap(model.lastKeptVisualTokens))))
        assertClose(resumed, full, "cognition", tolerance: Self.rowCountTolerance)
    }

    func testChangedPatchesAreRecomputedAndTheWorkFallsAccordingly() throws {
        let reusing = try policy()
        try reusing.configureTemporalReuse(TemporalReuseSettings(enabled: true, maxReusedShare: 1, relevantShare: 0.25, startLayer: 2))
        let image = try frame()
        let full = try predict(reusing, image)
        let relevance = reusing.session.cache.relevance.compactMap { $0 }
        XCTAssertEqual(relevance.count, 256)
        XCTAssertEqual(relevance.reduce(0, +), 1, accuracy: 0.5, "text→patch attention mass")
        let relevant = Set(relevance.indices.sorted { (relevance[$0], $1) > (relevance[$1], $0) }.prefix(64))
        let moved = try scrambling(Array(100 ..< 140), of: try jittering(Array(0 ..< 256), of: image))
        let partial = try predict(reusing, moved)
        let report = try XCTUnwrap(partial.temporalReuse)
        XCTAssertEqual(report.staticPatches, 216)
        XCTAssertEqual(report.reused, Set(0 ..< 256).subtracting(100 ..< 140).subtracting(relevant).count)
        XCTAssertEqual(report.reused + report.recomputed, 256)
        // Layers 0–1 compute all 276 rows; layers 2–5 only the recomputed patches, BOS and the text.
        let text = partial.inputIDs.count - 1, live = 1 + report.recomputed + text
        let work = reusing.model.llm.lastWork
        XCTAssertEqual(work.map(\.recomputedRows), [1 + 256 + text, 1 + 256 + text, live, live, live, live])
        XCTAssertEqual(work.map(\.queryRows), [1 + 256 + text, 1 + 256 + text, live, live, live, 1])
        XCTAssertEqual(work.map(\.keyRows), Array(repeating: 1 + 256 + text, count: 6))
        XCTAssertEqual(partial.flops.llm, FLOPCount.language(work: work, config: Fixture.model.config.llm))
        XCTAssertLessThan(partial.flops.llm, full.flops.llm)
        XCTAssertEqual(partial.flops.vision, full.flops.vision)
        // Against a full recompute of the moved frame the reused result is close, not equal.
        let dense = try predict(try policy(), moved)
        let error = relativeL2(partial.cognition, dense.cognition)
        XCTAssertGreaterThan(error, 0)
        XCTAssertLessThan(error, 0.5)
    }

    func testReuseInTheTowersKeepsTheReusablePatchesFeaturesAndTheirWork() throws {
        let reusing = try policy()
        reusing.reusesVisionFeatures = true  // an unchanged frame must still go through the towers' cache
        try reusing.configureTemporalReuse(TemporalReuseSettings(enabled: true, maxReusedShare: 1, relevantShare: 0.25, startLayer: 2,
                                                                 visionTowers: true))
        let image = try frame()
        let full = try predict(reusing, image)
        let relevance = reusing.session.cache.relevance.compactMap { $0 }
        let relevant = Set(relevance.indices.sorted { (relevance[$0], $1) > (relevance[$1], $0) }.prefix(64))
        let moved = try scrambling(Array(100 ..< 140), of: try jittering(Array(0 ..< 256), of: image))
        let partial = try predict(reusing, moved)
        let report = try XCTUnwrap(partial.temporalReuse)
        // Without token selection the language model reuses every reusable patch, and so do the towers.
        XCTAssertEqual(report.staticPatches, 216)
        XCTAssertEqual(report.reusedInTowers, report.reused)
        XCTAssertEqual(report.reused, Set(0 ..< 256).subtracting(100 ..< 140).subtracting(relevant).count)
        let vision = Fixture.model.config.vision
        XCTAssertEqual(partial.flops.vision, FLOPCount.vision(config: vision, recomputedPatches: 256 - report.reusedInTowers))
        XCTAssertEqual(partial.flops.projector, FLOPCount.projector(config: Fixture.model.config, rows: 256 - report.reusedInTowers))
        XCTAssertLessThan(partial.flops.vision, full.flops.vision)
        let again = try predict(reusing, moved)
        XCTAssertFalse(again.reusedVisionFeatures)
        XCTAssertGreaterThan(try XCTUnwrap(again.temporalReuse).reusedInTowers, 0)
        // Against a full recompute of the moved frame the result is close, not equal.
        let dense = try predict(try policy(), moved)
        let error = relativeL2(partial.cognition, dense.cognition)
        XCTAssertGreaterThan(error, 0)
        XCTAssertLessThan(error, 0.5)
    }
}
