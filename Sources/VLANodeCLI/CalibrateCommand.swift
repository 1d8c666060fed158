import ArgumentParser
import Foundation
import Inference

/// `vla-node calibrate`: runs the dense model on calibration frames and instructions, scores
/// every LLaMA layer (EfficientVLA Eq. 1) and every MLP channel, and writes a pruning plan.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Compute EfficientVLA layer-importance and MLP-channel scores and write a pruning plan (JSON).",
        discussion: """
        Frames come from MCAP bags (--bag, repeatable; sensor_msgs/Image or CompressedImage on --camera-topic, each paired with the \
        latest std_msgs/String on --instruction-topic or else --instruction) or from a samples directory: images \
        (png, jpg, jpeg, ppm) with either manifest.json ([{"image": "a.png", "instruction": "pick coke can"}, …]) or \
        instructions.txt (one line for all images, or one line per image in file-name order). Preprocessing is \
        exactly predict's (CogACTPolicy).
        """)

    @OptionGroup
    var modelOptions: ModelOptions

    @Option(name: .customLong("bag"), help: "MCAP bag to take frames from; repeat it for several bags (--max-samples applies to each).")
    var bags: [String] = []

    @Option(help: "Image topic in the bag (default: the only Image/CompressedImage topic).")
    var cameraTopic: String?

    @Option(help: "std_msgs/String instruction topic in the bag (default: the only String topic, if there is one).")
    var instructionTopic: String?

    @Option(help: "Instruction for frames that have none (bag), or for every image of a samples directory without instruction files.")
    var instruction: String?

    @Option(help: "Samples directory (images + manifest.json or instructions.txt).")
    var samples: String?

    @Option(help: "At most this many frames, evenly spaced over the source.")
    var maxSamples: Int = 32

    @Option(help: "Number of layers to drop (default: the paper's share, 10 of 32).")
    var drop: Int?

    @Option(help: "Share of layers to keep, instead of --drop (e.g. 0.6875 = 22 of 32).")
    var keepRatio: Double?

    @Option(help: "Kept share of MLP channels in every remaining layer (paper 0.75; 1 = full width).")
    var mlpKeepRatio: Double = 1

    @Option(name: [.short, .customLong("output")], help: "Where to write the plan JSON.")
    var output: String

    func validate() throws {
        guard bags.isEmpty != (samples == nil) else { throw ValidationError("give exactly one of --bag or --samples") }
        guard drop == nil || keepRatio == nil else { throw ValidationError("give --drop or --keep-ratio, not both") }
        if let drop, drop < 0 { throw ValidationError("--drop must be at least 0") }
        if let keepRatio, !(keepRatio > 0 && keepRatio <= 1) { throw ValidationError("--keep-ratio must be in (0, 1]") }
        guard mlpKeepRatio > 0, mlpKeepRatio <= 1 else { throw ValidationError("--mlp-keep-ratio must be in (0, 1]") }
        guard maxSamples >= 1 else { throw ValidationError("--max-samples must be at least 1") }
    }

    func run() throws {
        BLASEnvironment.prepare()
        let policy = try modelOptions.loadPolicy()
        let frames: [CalibrationFrame]
        if !bags.isEmpty {
            frames = try bags.flatMap { bag in
                try BagFrames(path: bag, cameraTopic: cameraTopic, instructionTopic: instructionTopic,
                              fallbackInstruction: instruction, limit: maxSamples).read()
            }
        } else {
            frames = try SampleDirectoryFrames(path: samples ?? "", fallbackInstruction: instruction, limit: maxSamples).read()
        }
        let calibrator = try Calibrator(model: policy.model)
        for (index, frame) in frames.enumerated() {
            let pixels = policy.preprocess(frame.image)
            try calibrator.add(CalibrationSample(dinoPixels: pixels.dino, siglipPixels: pixels.siglip,
                                                 inputIDs: try policy.prompts.inputIDs(for: frame.instruction)))
            FileHandle.standardError.write(Data("calibrated \(index + 1)/\(frames.count)\n".utf8))
        }
        let layers = policy.model.config.llm.layers
        let dropCount = drop ?? keepRatio.map { layers - Int((Double(layers) * $0).rounded()) } ?? Int((Double(layers) * 10 / 32).rounded())
        guard dropCount < layers else { throw CalibrateError.nothingLeft(drop: dropCount, layers: layers) }
        let provenance = PruningPlan.Provenance(
            modelDirectory: modelOptions.model, bag: bags.count == 1 ? bags[0] : nil, bags: bags.count > 1 ? bags : nil,
            samplesDirectory: samples, sampleCount: frames.count,
            instructions: Array(Set(frames.map(\.instruction))).sorted(), date: ISO8601DateFormatter().string(from: Date()))
        let plan = PruningPlan(result: try calibrator.result(), dropCount: dropCount, mlpKeepRatio: mlpKeepRatio, provenance: provenance)
        try plan.write(to: URL(fileURLWithPath: output))
        print("layer importance: " + plan.layerImportance.enumerated().map { "\($0.offset):" + String(format: "%.4f", $0.element) }
            .joined(separator: " "))
        print("drop \(plan.droppedLayers.count) of \(layers) layers: \(plan.droppedLayers.map(String.init).joined(separator: ","))"
              + (mlpKeepRatio < 1 ? String(format: "; MLP keep ratio %.3f", mlpKeepRatio) : ""))
        print("wrote \(output) (\(frames.count) samples)")
    }
}
