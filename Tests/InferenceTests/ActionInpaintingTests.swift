import Foundation
import XCTest
@testable import Inference

/// Training-free inpainting for real-time chunking, on the reference fixture model's action head.
final class ActionInpaintingTests: XCTestCase {
    private var model: CogACTModel { Fixture.model }

    private func sample(_ inpainting: ActionInpainting?) throws -> [Float] {
        try model.sampleActions(cognition: Fixture.floats("cognition"), noise: Fixture.floats("noise"), inpainting: inpainting).final
    }

    private var shape: (rows: Int, dimension: Int) { (model.config.action.horizon, model.config.action.actionDim) }

    /// RTC's soft mask (arXiv 2506.07339, eq. 5): 1 on the frozen rows, c·(eᶜ − 1)/(e − 1) with
    /// c = (overlap − r)/(overlap − frozen + 1) on the rest of the overlap, 0 after it.
    func testSoftMaskFollowsTheRTCFormula() {
        let weights = ActionInpainting.weights(horizon: 8, frozenRows: 2, overlapRows: 6)
        let soft = { (c: Double) in Float(c * (exp(c) - 1) / (exp(1) - 1)) }
        XCTAssertEqual(weights, [1, 1, soft(0.8), soft(0.6), soft(0.4), soft(0.2), 0, 0])
        XCTAssertEqual(ActionInpainting.weights(horizon: 4, frozenRows: 6, overlapRows: 3), [1, 1, 1, 0], "frozen rows stop at the overlap")
        XCTAssertEqual(ActionInpainting.weights(horizon: 3, frozenRows: 0, overlapRows: 0), [0, 0, 0])
    }

    /// Zero weights change nothing, bit for bit.
    func testZeroWeightsAreTheUnguidedSample() throws {
        let (rows, dimension) = shape
        let inpainting = ActionInpainting(target: [Float](repeating: 0.5, count: rows * dimension), weights: [Float](repeating: 0, count: rows))
        XCTAssertEqual(try sample(inpainting), try sample(nil))
    }

    /// Frozen rows end exactly on the target (the last blend is at ᾱ = 1); rows the previous chunk
    /// does not cover stay close to the unguided sample's, and the soft rows lie in between.
    func testFrozenRowsEndOnTheTargetAndTheRestStaysTheModels() throws {
        let (rows, dimension) = shape
        let target = (0 ..< rows * dimension).map { Float(($0 % 7)) / 10 - 0.3 }
        let weights = ActionInpainting.weights(horizon: rows, frozenRows: 2, overlapRows: rows - 2)
        let guided = try sample(ActionInpainting(target: target, weights: weights))
        let free = try sample(nil)
        for row in 0 ..< 2 {
            let range = (row * dimension) ..< ((row + 1) * dimension)
            XCTAssertEqual(Array(guided[range]), Array(target[range]), "row \(row)")
        }
        XCTAssertNotEqual(guided, free)
        let lastRow = ((rows - 1) * dimension) ..< (rows * dimension)
        XCTAssertTrue(guided[lastRow].allSatisfy(\.isFinite))
    }

    /// One blend, by hand: w·(√ᾱ·target + √(1 − ᾱ)·ε) + (1 − w)·x.
    func testOneBlendIsTheFormula() {
        let inpainting = ActionInpainting(target: [1, 2, 3, 4], weights: [0.25, 1])
        var x: [Float] = [10, 20, 30, 40]
        inpainting.apply(to: &x, noise: [0.5, -0.5, 1, -1], alphaBar: 0.64)
        let expected: [Float] = [0.25 * (0.8 * 1 + 0.6 * 0.5) + 0.75 * 10, 0.25 * (0.8 * 2 - 0.6 * 0.5) + 0.75 * 20,
                                 0.8 * 3 + 0.6 * 1, 0.8 * 4 - 0.6 * 1]
        for (value, want) in zip(x, expected) { XCTAssertEqual(value, want, accuracy: 1e-5) }
    }

    func testInpaintingThatDoesNotFitIsRefused() throws {
        let (rows, dimension) = shape
        for inpainting in [ActionInpainting(target: [1], weights: [Float](repeating: 0, count: rows)),
                           ActionInpainting(target: [Float](repeating: 0, count: rows * dimension), weights: [1]),
                           ActionInpainting(target: [Float](repeating: 0, count: rows * dimension), weights: [Float](repeating: 2, count: rows))] {
            XCTAssertThrowsError(try sample(inpainting)) { error in
                guard case InferenceError.invalidInpainting = error else { return XCTFail("\(error)") }
            }
        }
    }
}
