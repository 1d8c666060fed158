import ArgumentParser
import Foundation
import Imaging
import Inference

/// `vla-node predict`: one action chunk for one image and instruction, as a table or as JSON.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict one action chunk from an image (PNG, JPEG or binary PPM) and an instruction.")

    @OptionGroup
    var modelOptions: ModelOptions

    @Option(help: "Input image: PNG, JPEG or binary PPM/PGM. A 224×224 image is used as is.")
    var image: String

    @Option(help: "The task in words, e.g. \"pick coke can\".")
    var instruction: String

    @Option(help: "Dataset whose action statistics un-normalise the actions (a key of dataset_statistics.json).")
    var unnormKey: String

    @Option(help: "Initial DDIM sample: a float32 .npy of shape [horizon, action_dim]; default: drawn from --seed.")
    var noise: String?

    @Option(help: "Seed of the initial noise when --noise is not given.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Also print the analytic FLOPs of each stage for these settings against dense (stderr with --json).")
    var profile = false

    @OptionGroup(title: "EfficientVLA")
    var acceleration: AccelerationOptions

    @Option(help: "A previous camera frame: predict on it first, then on --image with temporal reuse (a two-frame test).")
    var previousImage: String?

    @OptionGroup(title: "Temporal reuse (with --previous-image)")
    var temporalReuse: TemporalReuseOptions

    func run() throws {
        BLASEnvironment.prepare()
        let frame = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: image))  // a bad image fails before the model loads
        let previous = try previousImage.map { try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: $0)) }
        let settings = try acceleration.settings()
        progress("loading \(modelOptions.model) (weights memory-mapped; they become resident as the first inference reads them)")
        let (policy, loadMs) = try StageTimings.measure { try modelOptions.loadPolicy(acceleration: settings) }
        progress(String(format: "loaded in %.2f s; resident %.2f GB", loadMs / 1000, Double(ProcessMemory.residentBytes ?? 0) / 1e9))
        let initialNoise = try noise.map { try loadNoise(path: $0, config: policy.model.config.action) }
        if let previous {
            try policy.configureTemporalReuse(temporalReuse.settings)
            _ = try policy.predictAction(image: previous, instruction: instruction, unnormKey: unnormKey, noise: initialNoise, seed: seed)
        }
        let prediction = try policy.predictAction(image: frame, instruction: instruction, unnormKey: unnormKey,
                                                  noise: initialNoise, seed: seed)
        let report = PredictionReport(prediction, loadMs: loadMs, patches: policy.model.patchCount)
        print(json ? try report.json() : report.table())
        if profile {
            let engine = policy.model
            let table = engine.flopCount(tokenCount: prediction.inputIDs.count)
                .report(dense: FLOPCount(config: engine.config, tokenCount: prediction.inputIDs.count,
                                         ddimSteps: engine.ddimSchedule.steps.count))
            if json { FileHandle.standardError.write(Data((table + "\n").utf8)) } else { print(table) }
        }
    }

    /// A progress line on stderr, so that stdout holds only the table or the JSON.
    private func progress(_ line: String) {
        FileHandle.standardError.write(Data(("predict: " + line + "\n").utf8))
    }

    /// Reads `--noise` and checks its shape against the action head.
    private func loadNoise(path: String, config: ActionConfig) throws -> [Float] {
        let array = try NPY.read(contentsOf: URL(fileURLWithPath: path))
        guard array.shape == [config.horizon, config.actionDim] else {
            throw ValidationError("--noise \(path): shape \(array.shape), expected [\(config.horizon), \(config.actionDim)]")
        }
        return array.values
    }
}
