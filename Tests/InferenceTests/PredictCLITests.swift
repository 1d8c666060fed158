import Foundation
import Imaging
import TestSupport
import XCTest
@testable import Inference

/// `vla-node predict` as a user runs it: a PNG file, the instruction and a noise `.npy` in, the
/// reference actions out (through PNG decoding, the tokenizer, the resize and the whole model).
final class PredictCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("predict-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func writeInputs() throws -> (image: String, noise: String) {
        let (shape, values) = try Fixture.reference.integerTensor("image_u8")
        let frame = try RGBImage(width: shape[1], height: shape[0], pixels: values.map { UInt8($0) })
        let image = directory.appendingPathComponent("frame.png")
        try frame.write(to: image)
        let noise = directory.appendingPathComponent("noise.npy")
        try NPY.write(try NPYArray(shape: [16, 7], values: try Fixture.floats("noise")), to: noise)
        return (image.path, noise.path)
    }

    func testJSONOutputMatchesReference() throws {
        let inputs = try writeInputs()
        let result = try VLANodeExecutable.run(["predict", "--model", Fixture.modelDirectory.path, "--image", inputs.image,
                                                "--instruction", "Pick coke can", "--unnorm-key", "fixture_robot",
                                                "--noise", inputs.noise, "--threads", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.error)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        func flat(_ key: String) throws -> [Float] {
            try XCTUnwrap(json[key] as? [[Double]], key).flatMap { $0.map(Float.init) }
        }
        assertClose(try flat("actions"), try Fixture.floats("actions"), "actions")
        assertClose(try flat("normalized_actions"), try Fixture.floats("normalized_actions"), "normalized_actions")
        let steps = Fixture.model.ddimSchedule.steps.count
        assertClose(try flat("sample"), Fixture.slice(try Fixture.floats("ddim_x"), part: steps - 1, of: steps), "sample")
        let cognition = try XCTUnwrap(json["cognition"] as? [Double]).map(Float.init)
        let finalNorm = try Fixture.floats("llm_final_norm")
        assertClose(cognition, Array(finalNorm[(finalNorm.count - cognition.count)...]), "cognition")
        let timings = try XCTUnwrap(json["timings_ms"] as? [String: Double])
        XCTAssertEqual(Set(timings.keys), ["preprocess", "vision", "projector", "llm", "action", "post", "total", "load"])
        XCTAssertGreaterThan(try XCTUnwrap(timings["load"]), 0)
    }

    /// A 224×224 noisy PNG written by Pillow (three IDAT chunks; it crashed the old decoder) and the
    /// PPM of the pixels Pillow decodes from it must give the same outputs for the same seed.
    func testPillowPNGPredictsLikeThePPMOfItsPixels() throws {
        struct Outputs: Decodable, Equatable {
            let actions: [[Double]]
            let normalized_actions: [[Double]]
            let cognition: [Double]
        }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ImagingTests/Fixtures/png")
        func predict(_ image: String) throws -> Outputs {
            let result = try VLANodeExecutable.run(["predict", "--model", Fixture.modelDirectory.path,
                                                    "--image", fixtures.appendingPathComponent(image).path,
                                                    "--instruction", "Pick coke can", "--unnorm-key", "fixture_robot",
                                                    "--seed", "7", "--threads", "2", "--json"])
            XCTAssertEqual(result.status, 0, "\(image): \(result.error)")
            return try JSONDecoder().decode(Outputs.self, from: Data(result.output.utf8))
        }
        let fromPNG = try predict("rgb_noise_224.png")
        XCTAssertEqual(fromPNG.actions.count, Fixture.model.config.action.horizon)
        XCTAssertEqual(fromPNG, try predict("rgb_noise_224.ppm"))
    }

    /// `--previous-image`: the previous frame runs first, then the frame with temporal reuse. The
    /// frame is the previous one with its top rows of patches replaced, so exactly the other patches
    /// are static; with no cap and no relevance filter all of them are reused.
    func testPreviousImageRunsTheSecondFrameWithTemporalReuse() throws {
        let inputs = try writeInputs()
        let previous = try ImageResampler.resizeBicubic(try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: inputs.image)), width: 224, height: 224)
        var pixels = previous.pixels
        for i in 0 ..< 3 * 224 * 28 { pixels[i] = UInt8((i * 37 + 11) % 256) }  // patch rows 0–1 (32 patches) scrambled
        let current = directory.appendingPathComponent("current.png"), before = directory.appendingPathComponent("previous.png")
        try RGBImage(width: 224, height: 224, pixels: pixels).write(to: current)
        try previous.write(to: before)
        let base = ["predict", "--model", Fixture.modelDirectory.path, "--image", current.path, "--instruction", "pick coke can",
                    "--unnorm-key", "fixture_robot", "--seed", "3", "--threads", "2", "--json"]
        func report(_ extra: [String]) throws -> [String: Any] {
            let result = try VLANodeExecutable.run(base + extra)
            XCTAssertEqual(result.status, 0, result.error)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        }
        let reusing = try report(["--previous-image", before.path, "--max-reused-share", "1", "--relevant-share", "0"])
        XCTAssertEqual(reusing["visual_tokens_reused"] as? Int, 224)
        XCTAssertEqual(reusing["visual_tokens_recomputed"] as? Int, 32)
        XCTAssertEqual(reusing["full_refresh"] as? Bool, false)
        // With --reuse-vision-towers the same patches are reused, and they also skip the towers and the projector.
        let towers = try report(["--previous-image", before.path, "--max-reused-share", "1", "--relevant-share", "0",
                                 "--reuse-vision-towers"])
        XCTAssertEqual(towers["visual_tokens_reused"] as? Int, 224)
        XCTAssertEqual(towers["visual_tokens_recomputed"] as? Int, 32)
        let alone = try report([])
        XCTAssertEqual(alone["visual_tokens_reused"] as? Int, 0)
        XCTAssertEqual(alone["full_refresh"] as? Bool, true)
        let gflop = { (json: [String: Any]) in try XCTUnwrap(json["gflop"] as? Double) }
        XCTAssertLessThan(try gflop(reusing), try gflop(alone))
        XCTAssertLessThan(try gflop(towers), try gflop(reusing))
        let cognition = { (json: [String: Any]) in try XCTUnwrap(json["cognition"] as? [Double]).map(Float.init) }
        let error = relativeL2(try cognition(reusing), try cognition(alone))
        XCTAssertGreaterThan(error, 0, "reuse is an approximation")
        XCTAssertLessThan(error, 0.5)
    }

    func testBadInputsFailWithAMessage() throws {
        let inputs = try writeInputs()
        let base = ["predict", "--model", Fixture.modelDirectory.path, "--instruction", "pick coke can", "--unnorm-key", "fixture_robot"]
        let truncated = directory.appendingPathComponent("truncated.png")
        try Data(try Data(contentsOf: URL(fileURLWithPath: inputs.image)).prefix(100)).write(to: truncated)
        let cases: [([String], String)] = [
            (base + ["--image", truncated.path], "PNG"),
            (base + ["--image", inputs.image, "--noise", inputs.image], "npy"),
            (["predict", "--model", directory.path, "--image", inputs.image, "--instruction", "x", "--unnorm-key", "k"], "config.json"),
            (base.dropLast(2) + ["--unnorm-key", "mars_rover", "--image", inputs.image], "mars_rover"),
        ]
        for (arguments, mention) in cases {
            let result = try VLANodeExecutable.run(arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.error.localizedCaseInsensitiveContains(mention), "\(arguments): \(result.error)")
        }
    }
}
