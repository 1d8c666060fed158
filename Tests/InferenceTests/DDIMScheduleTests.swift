import XCTest
@testable import Inference

/// The sampler's tables against values computed independently in float64 from the
/// squaredcos_cap_v2 formula and PyTorch's timestep_embedding (written down here once).
final class DDIMScheduleTests: XCTestCase {
    func testDDIM10CoefficientTable() throws {
        let schedule = try DDIMSchedule(diffusionSteps: 100, ddimSteps: 10)
        // (t, ᾱ_t, ᾱ_prev, √(1/ᾱ), √(1/ᾱ−1)) from that float64 computation.
        let table: [(Int, Double, Double, Double, Double)] = [
            (90, 1.95443764e-02, 8.51462057e-02, 7.153014, 7.082769),
            (80, 8.51462057e-02, 1.90727483e-01, 3.427026, 3.277881),
            (70, 1.90727483e-01, 3.26115249e-01, 2.289778, 2.059874),
            (60, 3.26115249e-01, 4.78264633e-01, 1.751114, 1.437498),
            (50, 4.78264633e-01, 6.32515749e-01, 1.445992, 1.044458),
            (40, 6.32515749e-01, 7.74006207e-01, 1.257374, 0.762226),
            (30, 7.74006207e-01, 8.89103129e-01, 1.136653, 0.540351),
            (20, 8.89103129e-01, 9.66716705e-01, 1.060532, 0.353170),
            (10, 9.66716705e-01, 9.99368718e-01, 1.017069, 0.185551),
            (0, 9.99368718e-01, 1.0, 1.000316, 0.025133),
        ]
        XCTAssertEqual(schedule.steps.count, table.count)
        for (step, row) in zip(schedule.steps, table) {
            XCTAssertEqual(step.timestep, row.0)
            XCTAssertEqual(step.alphaBar, row.1, accuracy: row.1 * 1e-8)
            XCTAssertEqual(step.alphaBarPrevious, row.2, accuracy: row.2 * 1e-8)
            XCTAssertEqual(step.sqrtRecipAlphaBar, row.3, accuracy: 1e-6)
            XCTAssertEqual(step.sqrtRecipMinusOne, row.4, accuracy: 1e-6)
        }
    }

    func testScheduleEndpoints() {
        let alphas = DDIMSchedule.squaredCosineAlphasCumprod(100)
        XCTAssertEqual(1 - alphas[0], 6.3128e-4, accuracy: 1e-8)       // β₀
        XCTAssertEqual(alphas[99], 2.43e-7, accuracy: 0.01e-7)          // ᾱ₉₉ with β₉₉ capped at 0.999
        XCTAssertEqual(1 - alphas[99] / alphas[98], 0.999, accuracy: 1e-12)
    }

    func testTimestepSpacingRules() throws {
        XCTAssertEqual(try DDIMSchedule.spacedTimesteps(diffusionSteps: 100, count: 5), [0, 20, 40, 60, 80])
        XCTAssertEqual(try DDIMSchedule.spacedTimesteps(diffusionSteps: 100, count: 1), [50])
        XCTAssertEqual(try DDIMSchedule.spacedTimesteps(diffusionSteps: 100, count: 100), Array(0 ..< 100))
        // len(range(0, 100, i)) == 3 first holds at i = 34.
        XCTAssertEqual(try DDIMSchedule.spacedTimesteps(diffusionSteps: 100, count: 3), [0, 34, 68])
        // No stride gives 45 steps (ceil(100/2) = 50, ceil(100/3) = 34).
        XCTAssertThrowsError(try DDIMSchedule.spacedTimesteps(diffusionSteps: 100, count: 45)) { error in
            XCTAssertEqual(error as? InferenceError, .unsupportedStepCount(45, diffusionSteps: 100))
        }
        let single = try DDIMSchedule(diffusionSteps: 100, ddimSteps: 1)
        XCTAssertEqual(single.steps.map(\.timestep), [50])
        XCTAssertEqual(single.steps[0].alphaBarPrevious, 1)
    }

    /// The table values are float64; the engine computes in float32 like PyTorch, where the
    /// angle t·f (≈ 90) carries up to half an ulp (3.8e-6) of rounding, so allow 1e-5.
    func testTimestepEmbeddingAt90() {
        let embedding = TimestepEmbedding.sinusoid(90)
        XCTAssertEqual(embedding.count, 256)
        let cosines: [Float] = [-0.448074, -0.478792, -0.823623, -0.963993]
        let sines: [Float] = [0.893997, 0.877928, 0.567138, -0.265927]
        for i in 0 ..< 4 {
            XCTAssertEqual(embedding[i], cosines[i], accuracy: 1e-5)
            XCTAssertEqual(embedding[128 + i], sines[i], accuracy: 1e-5)
        }
    }
}
