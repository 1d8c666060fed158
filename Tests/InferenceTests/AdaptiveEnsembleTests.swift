import Foundation
import XCTest
@testable import Inference

/// CogACT's adaptive action ensemble against an independent numpy reference
/// (`tools/fixtures/adaptive_ensemble.py`) and closed-form cases.
final class AdaptiveEnsembleTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let alpha: Double
            let horizon: Int
            let chunks: [[[Double]]]
            let expected: [[Double]]
        }
        let cases: [Case]
    }

    private func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/adaptive_ensemble.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Float outputs of a Double computation on Float inputs: 1e-6 absolute plus 1e-5 relative.
    private func assertClose(_ actual: [Float], _ expected: [Double], _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(Double(a), e, accuracy: 1e-6 + 1e-5 * abs(e), message, file: file, line: line)
        }
    }

    func testMatchesNumpyReferenceForEveryStep() throws {
        let fixture = try loadFixture()
        XCTAssertEqual(fixture.cases.count, 4)
        for testCase in fixture.cases {
            var ensemble = try AdaptiveEnsemble(alpha: testCase.alpha, horizon: testCase.horizon)
            XCTAssertEqual(testCase.chunks.count, testCase.expected.count)
            for (step, (chunk, expected)) in zip(testCase.chunks, testCase.expected).enumerated() {
                let output = try ensemble.ensemble(adding: chunk.map { $0.map(Float.init) })
                assertClose(output, expected, "\(testCase.name) step \(step)")
                XCTAssertEqual(ensemble.history.count, min(step + 1, testCase.horizon))
            }
        }
    }

    func testHorizonOneReturnsNewestFirstAction() throws {
        var ensemble = try AdaptiveEnsemble(alpha: 0.1, horizon: 1)
        for step in 0..<3 {
            let chunk = ramp(rows: 4, offset: Float(step) * 10)
            XCTAssertEqual(try ensemble.ensemble(adding: chunk), chunk[0])
        }
    }

    func testIdenticalPredictionsReturnThatAction() throws {
        var ensemble = try AdaptiveEnsemble(alpha: 3.0, horizon: 4)
        let action: [Float] = [0.01, -0.02, 0.03, 0.1, -0.2, 0.3, 1]
        let constantChunk = [[Float]](repeating: action, count: 16)
        for _ in 0..<6 {
            let output = try ensemble.ensemble(adding: constantChunk)
            assertClose(output, action.map(Double.init), "constant chunks")
        }
    }

    func testOrthogonalPredictionWeightsFollowSoftmaxOfCosine() throws {
        // cos(older, reference) = 0 and cos(reference, reference) = |r|²/(|r|² + 1e-7).
        let alpha = 2.0
        let older: [Float] = [1, 0, 0, 0, 0, 0, 0]
        let reference: [Float] = [0, 2, 0, 0, 0, 0, 0]
        let selfCosine = 4.0 / (4.0 + 1e-7)
        let referenceWeight = exp(alpha * selfCosine) / (exp(alpha * selfCosine) + exp(0))
        let expected = [1 - referenceWeight, 2 * referenceWeight, 0, 0, 0, 0, 0]
        assertClose(try AdaptiveEnsemble.combine([older, reference], alpha: alpha), expected, "orthogonal")
    }

    /// α·cos stays finite for any finite α (|cos| ≤ 1); as α → ∞ the softmax puts all weight on
    /// the most similar prediction, here the reference itself (cos(r, r) > cos(a, r) by the 1e-7).
    func testHugeAlphaSelectsTheMostSimilarPredictionInsteadOfNaN() throws {
        let older: [Float] = [10, 0, 0, 0, 0, 0, 0], reference: [Float] = [20, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(try AdaptiveEnsemble.combine([older, reference], alpha: 1e308), reference)
    }

    func testOppositePredictionIsDownWeighted() throws {
        let alpha = 1.0
        let reference: [Float] = [0.5, 0, 0, 0, 0, 0, 1]
        let opposite = reference.map { -$0 }
        let squaredNorm = 1.25
        let cosine = squaredNorm / (squaredNorm + 1e-7)
        let weightOpposite = exp(-alpha * cosine) / (exp(-alpha * cosine) + exp(alpha * cosine))
        let expected = reference.map { Double($0) * (1 - 2 * weightOpposite) }
        assertClose(try AdaptiveEnsemble.combine([opposite, reference], alpha: alpha), expected, "opposite")
    }

    func testStatefulStepUsesRowKOfChunkPredictedKStepsAgo() throws {
        // With α = 0 the weights are uniform, so the output is the mean of the gathered rows.
        var ensemble = try AdaptiveEnsemble(alpha: 0, horizon: 3)
        let chunks = (0..<3).map { ramp(rows: 5, offset: Float($0) * 100) }
        _ = try ensemble.ensemble(adding: chunks[0])
        _ = try ensemble.ensemble(adding: chunks[1])
        let output = try ensemble.ensemble(adding: chunks[2])
        let gathered = [chunks[0][2], chunks[1][1], chunks[2][0]]
        let mean = (0..<7).map { d in gathered.map { Double($0[d]) }.reduce(0, +) / 3 }
        assertClose(output, mean, "uniform weights")
    }

    func testResetForgetsHistory() throws {
        var ensemble = try AdaptiveEnsemble(alpha: 0.1, horizon: 3)
        _ = try ensemble.ensemble(adding: ramp(rows: 4, offset: 5))
        _ = try ensemble.ensemble(adding: ramp(rows: 4, offset: 9))
        ensemble.reset()
        XCTAssertTrue(ensemble.history.isEmpty)
        let fresh = ramp(rows: 4, offset: -3)
        XCTAssertEqual(try ensemble.ensemble(adding: fresh), fresh[0])
    }

    func testRejectsBadConfigurationAndInputsWithoutChangingHistory() throws {
        XCTAssertThrowsError(try AdaptiveEnsemble(alpha: .nan, horizon: 2)) {
            guard case .invalidAlpha(let alpha) = $0 as? AdaptiveEnsembleError else {
                return XCTFail("expected invalidAlpha, got \($0)")
            }
            XCTAssertTrue(alpha.isNaN)
        }
        XCTAssertThrowsError(try AdaptiveEnsemble(alpha: 0.1, horizon: 0)) {
            XCTAssertEqual($0 as? AdaptiveEnsembleError, .invalidHorizon(0))
        }
        var ensemble = try AdaptiveEnsemble(alpha: 0.1, horizon: 3)
        _ = try ensemble.ensemble(adding: ramp(rows: 4, offset: 0))
        XCTAssertThrowsError(try ensemble.ensemble(adding: ramp(rows: 2, offset: 0))) {
            XCTAssertEqual($0 as? AdaptiveEnsembleError, .chunkTooShort(rows: 2, required: 3))
        }
        var narrow = ramp(rows: 4, offset: 0)
        narrow[1] = [1, 2, 3]
        XCTAssertThrowsError(try ensemble.ensemble(adding: narrow)) {
            XCTAssertEqual($0 as? AdaptiveEnsembleError, .wrongActionWidth(row: 1, expected: 7, found: 3))
        }
        var poisoned = ramp(rows: 4, offset: 0)
        poisoned[3][6] = .nan
        XCTAssertThrowsError(try ensemble.ensemble(adding: poisoned)) {
            XCTAssertEqual($0 as? AdaptiveEnsembleError, .nonFiniteValue(row: 3))
        }
        XCTAssertEqual(ensemble.history.count, 1)
        XCTAssertThrowsError(try AdaptiveEnsemble.combine([], alpha: 0.1)) {
            XCTAssertEqual($0 as? AdaptiveEnsembleError, .noPredictions)
        }
    }

    /// A chunk whose value at (row r, dim d) is offset + r + d / 10, so rows are distinguishable.
    private func ramp(rows: Int, offset: Float) -> [[Float]] {
        (0..<rows).map { r in (0..<7).map { d in offset + Float(r) + Float(d) / 10 } }
    }
}
