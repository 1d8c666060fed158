import Bag
import Foundation
import Imaging
import Messages
import TestSupport
import XCTest
@testable import Inference

/// `vla-node calibrate` as a user runs it: the fixture frame and instruction, from a samples
/// directory and from an MCAP bag, must give the reference `layer_importance` (the fixture's
/// transformers run on the same preprocessed inputs).
final class CalibrateCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("calibrate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func fixtureFrame() throws -> RGBImage {
        let (shape, values) = try Fixture.reference.integerTensor("image_u8")
        return try RGBImage(width: shape[1], height: shape[0], pixels: values.map { UInt8($0) })
    }

    private func calibrate(_ arguments: [String]) throws -> PruningPlan {
        let plan = directory.appendingPathComponent("plan.json")
        let result = try VLANodeExecutable.run(["calibrate", "--model", Fixture.modelDirectory.path, "--threads", "2",
                                                "-o", plan.path] + arguments)
        XCTAssertEqual(result.status, 0, result.error)
        return try PruningPlan.load(from: plan)
    }

    /// The plan drops the two lowest reference scores and keeps round(0.75·344) = 258 channels
    /// in each of the other four layers.
    private func assertMatchesReference(_ plan: PruningPlan, samples: Int) throws {
        let reference = try Fixture.floats("layer_importance")
        assertClose(plan.layerImportance, reference, "layer_importance")
        let lowest = reference.indices.sorted { reference[$0] < reference[$1] }.prefix(2).sorted()
        XCTAssertEqual(plan.droppedLayers, lowest)
        XCTAssertEqual(plan.mlpChannels.map(\.layer), (0 ..< 6).filter { !lowest.contains($0) })
        XCTAssertTrue(plan.mlpChannels.allSatisfy { $0.keep.count == 258 })
        XCTAssertEqual(plan.provenance.sampleCount, samples)
        XCTAssertEqual(plan.provenance.instructions, ["Pick coke can"])
        let model = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, acceleration: plan.settings))
        XCTAssertEqual(model.llm.layerIndices.count, 4)
    }

    func testSamplesDirectoryGivesTheReferenceScores() throws {
        let samples = directory.appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        try fixtureFrame().write(to: samples.appendingPathComponent("frame.png"))
        try "Pick coke can\n".write(to: samples.appendingPathComponent("instructions.txt"), atomically: true, encoding: .utf8)
        let plan = try calibrate(["--samples", samples.path, "--drop", "2", "--mlp-keep-ratio", "0.75"])
        try assertMatchesReference(plan, samples: 1)
        XCTAssertEqual(plan.provenance.samplesDirectory, samples.path)
    }

    /// Two identical raw frames after an instruction message: the mean over two equal samples.
    /// The instruction topic is found by itself when the bag has a single std_msgs/String topic.
    func testBagFramesWithTheirInstructionGiveTheReferenceScores() throws {
        let bag = try writeBag(named: "run.mcap", instructionTopics: ["/instruction"])
        let plan = try calibrate(["--bag", bag.path, "--instruction-topic", "/instruction", "--drop", "2", "--mlp-keep-ratio", "0.75"])
        try assertMatchesReference(plan, samples: 2)
        XCTAssertEqual(plan.provenance.bag, bag.path)
        try assertMatchesReference(try calibrate(["--bag", bag.path, "--drop", "2", "--mlp-keep-ratio", "0.75"]), samples: 2)
        let second = try writeBag(named: "second.mcap", instructionTopics: ["/instruction"])
        let both = try calibrate(["--bag", bag.path, "--bag", second.path, "--max-samples", "1", "--drop", "2", "--mlp-keep-ratio", "0.75"])
        try assertMatchesReference(both, samples: 2)  // one frame from each bag
        XCTAssertEqual(both.provenance.bags, [bag.path, second.path])
        XCTAssertNil(both.provenance.bag)

        let ambiguous = try writeBag(named: "two-texts.mcap", instructionTopics: ["/instruction", "/operator_note"])
        let missing = try VLANodeExecutable.run(["calibrate", "--model", Fixture.modelDirectory.path, "--bag", ambiguous.path,
                                                 "-o", directory.appendingPathComponent("x.json").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("--instruction"), missing.error)
    }

    /// A bag with the fixture frame twice, after "Pick coke can" on each of `instructionTopics`.
    private func writeBag(named name: String, instructionTopics: [String]) throws -> URL {
        let bag = directory.appendingPathComponent(name)
        let frame = try fixtureFrame()
        let writer = try MCAPWriter(path: bag.path)
        let camera = try writer.addROS2Channel(Image.self, topic: "/camera")
        for topic in instructionTopics {
            let text = try writer.addROS2Channel(StringMessage.self, topic: topic)
            try writer.write(StringMessage(data: "Pick coke can"), channelID: text, logTime: 1)
        }
        for time: UInt64 in [2, 3] {
            let image = Image(height: UInt32(frame.height), width: UInt32(frame.width), encoding: "rgb8", step: UInt32(3 * frame.width),
                              data: frame.pixels)
            try writer.write(image, channelID: camera, logTime: time)
        }
        try writer.finish()
        return bag
    }

    /// `predict` with a plan and run-time switches: the identity switches reproduce the
    /// reference; the accelerated ones change the chunk and `--profile` reports fewer FLOPs.
    func testPredictAppliesThePlanAndProfilesFLOPs() throws {
        let samples = directory.appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        let image = samples.appendingPathComponent("frame.png")
        try fixtureFrame().write(to: image)
        let plan = directory.appendingPathComponent("plan.json")
        _ = try calibrate(["--samples", samples.path, "--instruction", "Pick coke can", "--drop", "2", "--mlp-keep-ratio", "0.75"])
        let base = ["predict", "--model", Fixture.modelDirectory.path, "--image", image.path, "--instruction", "Pick coke can",
                    "--unnorm-key", "fixture_robot", "--threads", "2", "--json"]
        func sample(_ extra: [String]) throws -> (sample: [Float], error: String) {
            let result = try VLANodeExecutable.run(base + extra)
            XCTAssertEqual(result.status, 0, result.error)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            return (try XCTUnwrap(json["sample"] as? [[Double]]).flatMap { $0.map(Float.init) }, result.error)
        }
        let dense = try sample([])
        XCTAssertEqual(try sample(["--visual-tokens", "256", "--cache-interval", "1"]).sample, dense.sample)
        let fast = try sample(["--prune-plan", plan.path, "--visual-tokens", "56", "--cache-interval", "5", "--profile"])
        XCTAssertGreaterThan(relativeL2(fast.sample, dense.sample), 1e-4)
        let total = try XCTUnwrap(fast.error.split(separator: "\n").first { $0.hasPrefix("total") })
        let percent = try XCTUnwrap(Double(total.split(separator: " ").last.map(String.init) ?? ""))
        var settings = try PruningPlan.load(from: plan).settings
        settings.visualTokens = 56
        settings.cacheInterval = 5
        let expected = FLOPCount(config: Fixture.model.config, tokenCount: 20, acceleration: settings)
        XCTAssertEqual(percent, 100 * expected.total / FLOPCount(config: Fixture.model.config, tokenCount: 20).total, accuracy: 0.06)
    }

    func testBadRequestsFailWithAMessage() throws {
        let output = directory.appendingPathComponent("x.json").path
        let cases: [([String], String)] = [
            (["--samples", directory.path, "--bag", "a.mcap"], "exactly one"),
            (["--samples", directory.path], "no calibration frames"),
            (["--bag", directory.appendingPathComponent("missing.mcap").path], "missing.mcap"),
        ]
        for (arguments, mention) in cases {
            let result = try VLANodeExecutable.run(["calibrate", "--model", Fixture.modelDirectory.path, "-o", output] + arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.error.contains(mention), "\(arguments): \(result.error)")
        }
    }
}
