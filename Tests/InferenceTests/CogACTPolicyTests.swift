import Foundation
import Imaging
import XCTest
@testable import Inference

/// The whole policy (tokenizer, Pillow-exact resize, normalisation, model, post-processing) from the
/// fixture's raw 320×256 frame and instruction, against the independent reference.
final class CogACTPolicyTests: XCTestCase {
    static let policy: CogACTPolicy = {
        do {
            let tokenizer = try SentencePieceTokenizer(contentsOf: Fixture.modelDirectory.appendingPathComponent("tokenizer.model"))
            return try CogACTPolicy(model: Fixture.model, tokenizer: tokenizer)
        } catch {
            fatalError("cannot build the policy: \(error)")
        }
    }()

    private func referenceFrame() throws -> RGBImage {
        let (shape, values) = try Fixture.reference.integerTensor("image_u8")
        XCTAssertEqual(shape, [256, 320, 3])
        return try RGBImage(width: shape[1], height: shape[0], pixels: values.map { UInt8($0) })
    }

    private func referenceRequest() throws -> (instruction: String, unnormKey: String) {
        let data = try Data(contentsOf: Fixture.tinyRoot.appendingPathComponent("reference.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try XCTUnwrap(json["instruction"] as? String), try XCTUnwrap(json["unnorm_key"] as? String))
    }

    func testFrameAndInstructionToActionsMatchReference() throws {
        let policy = Self.policy
        policy.reusesVisionFeatures = false
        let (instruction, unnormKey) = try referenceRequest()
        let prediction = try policy.predictAction(image: try referenceFrame(), instruction: instruction,
                                                  unnormKey: unnormKey, noise: try Fixture.floats("noise"))
        XCTAssertEqual(prediction.inputIDs, try Fixture.inputIDs())
        let finalNorm = try Fixture.floats("llm_final_norm")
        let hidden = Fixture.model.config.llm.hidden
        assertClose(prediction.cognition, Array(finalNorm[(finalNorm.count - hidden)...]), "cognition")
        let steps = Fixture.model.ddimSchedule.steps.count
        assertClose(prediction.sample, Fixture.slice(try Fixture.floats("ddim_x"), part: steps - 1, of: steps), "sample")
        assertClose(prediction.normalizedActions, try Fixture.floats("normalized_actions"), "normalized actions")
        assertClose(prediction.actions, try Fixture.floats("actions"), "actions")
        XCTAssertFalse(prediction.reusedVisionFeatures)
        XCTAssertGreaterThan(prediction.preprocessMilliseconds, 0)
        let rows = prediction.rows(prediction.actions)
        XCTAssertEqual(rows.count, Fixture.model.config.action.horizon)
        XCTAssertEqual(rows.flatMap { $0 }, prediction.actions)
        XCTAssertTrue(rows.allSatisfy { $0.count == Fixture.model.config.action.actionDim })
    }

    func testInstructionChangesReachTheTokenIDs() throws {
        // The policy keeps the last instruction's ids; each change must still be tokenized afresh.
        let policy = Self.policy
        let (instruction, unnormKey) = try referenceRequest()
        let frame = try referenceFrame()
        let other = "open the drawer"
        for (text, expected) in [(instruction, try Fixture.inputIDs()), (other, try policy.prompts.inputIDs(for: other)),
                                 (instruction, try Fixture.inputIDs())] {
            let prediction = try policy.predictAction(image: frame, instruction: text, unnormKey: unnormKey, seed: 1)
            XCTAssertEqual(prediction.inputIDs, expected, text)
        }
        XCTAssertNotEqual(try policy.prompts.inputIDs(for: other), try Fixture.inputIDs())
    }

    func testIdenticalFrameReusesVisionFeaturesWithIdenticalResult() throws {
        let policy = Self.policy
        policy.reusesVisionFeatures = true
        let frame = try referenceFrame()
        let first = try policy.predictAction(image: frame, instruction: "pick coke can", unnormKey: "fixture_robot", seed: 7)
        let second = try policy.predictAction(image: frame, instruction: "pick coke can", unnormKey: "fixture_robot", seed: 7)
        XCTAssertTrue(second.reusedVisionFeatures)
        XCTAssertEqual(second.timings.vision, 0)
        XCTAssertEqual(second.actions, first.actions)
        XCTAssertEqual(second.sample, first.sample)

        var changed = frame.pixels
        changed[0] ^= 0xFF
        let third = try policy.predictAction(image: try RGBImage(width: frame.width, height: frame.height, pixels: changed),
                                             instruction: "pick coke can", unnormKey: "fixture_robot", seed: 7)
        XCTAssertFalse(third.reusedVisionFeatures)
        XCTAssertNotEqual(third.cognition, first.cognition)
    }

    func testSeedMakesNoiseReproducible() throws {
        let policy = Self.policy
        let frame = try referenceFrame()
        let a = try policy.predictAction(image: frame, instruction: "pick coke can", unnormKey: "fixture_robot", seed: 1)
        let b = try policy.predictAction(image: frame, instruction: "pick coke can", unnormKey: "fixture_robot", seed: 1)
        let c = try policy.predictAction(image: frame, instruction: "pick coke can", unnormKey: "fixture_robot", seed: 2)
        XCTAssertEqual(a.sample, b.sample)
        XCTAssertNotEqual(a.sample, c.sample)
    }

    func testBadRequestsAreTypedErrors() throws {
        let policy = Self.policy
        let frame = try referenceFrame()
        XCTAssertThrowsError(try policy.predictAction(image: frame, instruction: "  \n", unnormKey: "fixture_robot")) {
            XCTAssertEqual($0 as? PolicyError, .emptyInstruction)
        }
        XCTAssertThrowsError(try policy.predictAction(image: frame, instruction: "go", unnormKey: "fixture_robot", noise: [0, 1])) {
            XCTAssertEqual($0 as? PolicyError, .wrongNoiseSize(expected: 112, found: 2))
        }
        XCTAssertThrowsError(try policy.predictAction(image: frame, instruction: "go", unnormKey: "no_such_robot")) {
            XCTAssertTrue("\($0)".contains("no_such_robot"), "\($0)")
        }
        // LLaMA-2's window is 4 096 positions (256 patches + 3 840 ids); one more is refused before any compute.
        let overlong = String(repeating: "pick up the can ", count: 1000)
        let overlongIDs = try policy.prompts.inputIDs(for: overlong).count
        XCTAssertGreaterThan(overlongIDs, 3841)
        XCTAssertThrowsError(try policy.predictAction(image: frame, instruction: overlong, unnormKey: "fixture_robot")) {
            XCTAssertEqual($0 as? InferenceError, .sequenceTooLong(rows: 256 + overlongIDs, maximum: 4096))
        }
        let ids = [Int32](repeating: 1, count: 4096 - 256)
        XCTAssertThrowsError(try policy.model.llmInput(projectedPatches: [Float](repeating: 0, count: 256 * 128), inputIDs: ids + [1]))
        XCTAssertNoThrow(try policy.model.llmInput(projectedPatches: [Float](repeating: 0, count: 256 * 128), inputIDs: ids))
    }
}

/// The noise generator: reproducible, and standard normal in distribution.
final class GaussianNoiseTests: XCTestCase {
    func testSameSeedSameSequenceAndOddCounts() {
        var a = GaussianNoise(seed: 42), b = GaussianNoise(seed: 42)
        XCTAssertEqual(a.next(7), b.next(7))
        XCTAssertEqual(a.next(112).count, 112)
    }

    func testMomentsOfManySamples() {
        var generator = GaussianNoise(seed: 3)
        let n = 200_000
        let samples = generator.next(n).map(Double.init)
        let mean = samples.reduce(0, +) / Double(n)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let fourth = samples.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n)
        // Standard errors for N(0,1): mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032, kurtosis √(96/n) ≈ 0.022;
        // 5σ bounds make a false failure negligible while catching a wrong transform (e.g. uniform: kurtosis 1.8).
        XCTAssertEqual(mean, 0, accuracy: 5 / Double(n).squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / Double(n)).squareRoot())
        XCTAssertEqual(fourth / (variance * variance), 3, accuracy: 5 * (96 / Double(n)).squareRoot())
    }
}
