import XCTest
@testable import Inference

/// Temporal reuse inside a vision tower (`VisionTransformer.features(…cache:recompute:)`), on
/// random-weight towers of the fixture's shapes (224 px, 256 patches).
final class TowerReuseTests: XCTestCase {
    /// The recomputed rows run through GEMMs with fewer rows than the full frame's, which OpenBLAS
    /// blocks differently (~6e-8 per operation, see TemporalReuseTests); one block keeps that far
    /// below 1e-5, while a patch attending to a wrong key moves its feature by ≥ 1e-2.
    private static let rowCountTolerance = 1e-5

    private func tower(_ config: (VisionConfig) -> ViTConfig, blocks: Int) throws -> (VisionTransformer, Int) {
        let vision = Fixture.model.config.vision
        var tower = config(vision)
        tower.featureLayer = blocks - 1
        return (try VisionTransformer(RandomWeights(seed: 7), prefix: "tower", config: tower, vision: vision), tower.width)
    }

    /// Normalised-looking pixel values `[3, 224, 224]`, a pure function of `seed`.
    private func pixels(seed: Int) -> [Float] {
        (0 ..< 3 * 224 * 224).map { Float(((($0 &* 2_654_435_761) ^ seed) % 2001) - 1000) / 500 }
    }

    /// `pixels` with the 14 px patches in `patches` replaced by other values.
    private func changing(_ patches: Set<Int>, of pixels: [Float]) -> [Float] {
        var changed = pixels
        for index in changed.indices {
            let (y, x) = ((index / 224) % 224, index % 224)
            if patches.contains((y / 14) * 16 + x / 14) { changed[index] = -changed[index] + 0.25 }
        }
        return changed
    }

    private func run(_ tower: VisionTransformer, _ pixels: [Float], width: Int,
                     cache: TowerCache? = nil, recompute: [Int]? = nil) -> [[Float]] {
        var out = [Float](repeating: .nan, count: 256 * width)
        pixels.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                if let cache {
                    tower.features(pixels: input.baseAddress!, into: output.baseAddress!, ldo: width, cache: cache, recompute: recompute)
                } else {
                    tower.features(pixels: input.baseAddress!, into: output.baseAddress!, ldo: width)
                }
            }
        }
        return (0 ..< 256).map { Array(out[$0 * width ..< ($0 + 1) * width]) }
    }

    func testEveryPatchThroughTheCacheEqualsTheTowerBitForBit() throws {
        for config in [\VisionConfig.dino, \VisionConfig.siglip] {
            let (tower, width) = try tower({ $0[keyPath: config] }, blocks: 3)
            let cache = tower.makeCache()
            let first = pixels(seed: 1), second = changing(Set(0 ..< 40), of: first)
            XCTAssertEqual(run(tower, first, width: width, cache: cache, recompute: [3]), run(tower, first, width: width),
                           "an empty cache computes every patch")
            XCTAssertEqual(run(tower, second, width: width, cache: cache, recompute: Array(0 ..< 256)), run(tower, second, width: width))
        }
    }

    func testInOneBlockRecomputedPatchesSeeTheCurrentFrameAndTheOthersKeepTheirFeatures() throws {
        // In a one-block tower a patch's keys/values depend only on its own pixels, so the cached
        // keys of the unchanged patches are exact and the recomputed patches must equal a full pass
        // over the new frame; the patches left out keep the old frame's features exactly, although
        // a full pass would change them (they attend to the changed patches).
        let changed = Set(100 ..< 140), recompute = Array(changed.union([0, 7, 255])).sorted()
        for config in [\VisionConfig.dino, \VisionConfig.siglip] {
            let (tower, width) = try tower({ $0[keyPath: config] }, blocks: 1)
            let cache = tower.makeCache()
            let first = pixels(seed: 2), second = changing(changed, of: first)
            let before = run(tower, first, width: width, cache: cache)
            let reused = run(tower, second, width: width, cache: cache, recompute: recompute)
            let full = run(tower, second, width: width)
            for patch in 0 ..< 256 {
                if recompute.contains(patch) {
                    assertClose(reused[patch], full[patch], "recomputed patch \(patch)", tolerance: Self.rowCountTolerance)
                } else {
                    XCTAssertEqual(reused[patch], before[patch], "kept patch \(patch)")
                    XCTAssertGreaterThan(relativeL2(full[patch], before[patch]), 1e-4, "patch \(patch) sees the change in a full pass")
                }
            }
        }
    }

    func testWithTwoBlocksTheKeptPatchesStaleKeysReachTheRecomputedOnes() throws {
        // From the second block on the kept patches' keys/values are those of the old frame: the
        // recomputed patches are close to a full pass, not equal (Eventful reuse is approximate).
        let (tower, width) = try tower(\.siglip, blocks: 2)
        let cache = tower.makeCache()
        let first = pixels(seed: 3), second = changing(Set(0 ..< 128), of: first)
        _ = run(tower, first, width: width, cache: cache)
        let reused = run(tower, second, width: width, cache: cache, recompute: Array(0 ..< 128))
        let full = run(tower, second, width: width)
        let error = (0 ..< 128).map { relativeL2(reused[$0], full[$0]) }.max() ?? 0
        XCTAssertGreaterThan(error, Self.rowCountTolerance, "more than rounding")
        XCTAssertLessThan(error, 0.5)
    }
}
