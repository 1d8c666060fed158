import ArgumentParser
import Bag
import Foundation
import Imaging
import Inference
import Messages

/// `vla-node calibrate`: runs the dense model on calibration frames and instructions, scores
/// every LLaMA layer (EfficientVLA Eq. 1) and every MLP channel, and writes a pruning plan.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Compute EfficientVLA layer-importance and MLP-channel scores and write a pruning plan (JSON).",
        discussion: """
        Frames come from an MCAP bag (sensor_msgs/Image or CompressedImage on --camera-topic, each paired with the \
        latest std_msgs/String on --instruction-topic or else --instruction) or from a samples directory: images \
        (png, jpg, jpeg, ppm) with either manifest.json ([{"image": "a.png", "instruction": "pick coke can"}, …]) or \
        instructions.txt (one line for all images, or one line per image in file-name order). Preprocessing is \
        exactly predict's (CogACTPolicy).
        """)

    @Option(help: "Model directory.")
    var model: String

    @Option(help: "MCAP bag to take frames from.")
    var bag: String?

    @Option(help: "Image topic in the bag (default: the only Image/CompressedImage topic).")
    var cameraTopic: String?

    @Option(help: "std_msgs/String instruction topic in the bag.")
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

    @Option(help: "OpenBLAS threads (default: one per core).")
    var threads: Int?

    func validate() throws {
        guard (bag == nil) != (samples == nil) else { throw ValidationError("give exactly one of --bag or --samples") }
        guard drop == nil || keepRatio == nil else { throw ValidationError("give --drop or --keep-ratio, not both") }
        if let drop, drop < 0 { throw ValidationError("--drop must be at least 0") }
        if let keepRatio, !(keepRatio > 0 && keepRatio <= 1) { throw ValidationError("--keep-ratio must be in (0, 1]") }
        guard mlpKeepRatio > 0, mlpKeepRatio <= 1 else { throw ValidationError("--mlp-keep-ratio must be in (0, 1]") }
        guard maxSamples >= 1 else { throw ValidationError("--max-samples must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: model)
        let policy = try CogACTPolicy(directory: directory, options: EngineOptions(blasThreads: threads))
        let frames: [CalibrationFrame]
        if let bag {
            frames = try BagFrames(path: bag, cameraTopic: cameraTopic, instructionTopic: instructionTopic,
                                   fallbackInstruction: instruction, limit: maxSamples).read()
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
            modelDirectory: directory.standardizedFileURL.path, bag: bag, samplesDirectory: samples, sampleCount: frames.count,
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

/// One calibration input before preprocessing.
struct CalibrationFrame {
    let image: RGBImage
    let instruction: String
}

/// Evenly spaced indices: `limit` of `count` (all when `count ≤ limit`).
func evenlySpaced(count: Int, limit: Int) -> [Int] {
    guard count > limit else { return Array(0 ..< count) }
    return (0 ..< limit).map { $0 * count / limit }
}

/// Frames of a camera topic of an MCAP bag, each with the latest instruction seen before it.
struct BagFrames {
    let path: String
    let cameraTopic: String?
    let instructionTopic: String?
    let fallbackInstruction: String?
    let limit: Int

    static let imageTypes: Set<String> = [Image.typeName, CompressedImage.typeName]

    func read() throws -> [CalibrationFrame] {
        let reader: MCAPIndexedReader
        do { reader = try MCAPIndexedReader(input: try MCAPFileInput(path: path)) } catch MCAPError.missingSummary {
            throw CalibrateError.unindexedBag(path)
        }
        let camera = try resolveCameraTopic(reader)
        if let instructionTopic, !reader.channels.values.contains(where: { $0.topic == instructionTopic }) {
            throw CalibrateError.unknownTopic(instructionTopic, bag: path)
        }
        var total = 0
        try reader.forEachMessage(topics: [camera]) { _ in total += 1 }
        let chosen = Set(evenlySpaced(count: total, limit: limit))
        var frames: [CalibrationFrame] = []
        var ordinal = 0
        var latest = fallbackInstruction
        try reader.forEachMessage(topics: Set([camera] + (instructionTopic.map { [$0] } ?? []))) { message in
            if message.topic == instructionTopic {
                latest = try StringMessage(cdrBytes: message.data).data
                return
            }
            defer { ordinal += 1 }
            guard chosen.contains(ordinal) else { return }
            guard let instruction = latest, !instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CalibrateError.noInstruction(logTime: message.logTime)
            }
            frames.append(CalibrationFrame(image: try decode(message), instruction: instruction))
        }
        guard !frames.isEmpty else { throw CalibrateError.noFrames(camera) }
        return frames
    }

    private func resolveCameraTopic(_ reader: MCAPIndexedReader) throws -> String {
        let imageTopics = reader.channels.values.filter { channel in
            reader.schemas[channel.schemaID].map { Self.imageTypes.contains($0.name) } ?? false
        }.map(\.topic)
        if let cameraTopic {
            guard imageTopics.contains(cameraTopic) else { throw CalibrateError.unknownTopic(cameraTopic, bag: path) }
            return cameraTopic
        }
        guard imageTopics.count == 1, let only = imageTopics.first else { throw CalibrateError.ambiguousCamera(imageTopics.sorted()) }
        return only
    }

    private func decode(_ message: MCAPMessage) throws -> RGBImage {
        if message.schema?.name == CompressedImage.typeName {
            return try ImageDecoder.decode(try CompressedImage(cdrBytes: message.data).data)
        }
        let raw = try Image(cdrBytes: message.data)
        return try RGBImage(rawPixels: raw.data, width: Int(raw.width), height: Int(raw.height), step: Int(raw.step), encoding: raw.encoding)
    }
}

/// Images of a directory with `manifest.json` or `instructions.txt`.
struct SampleDirectoryFrames {
    let path: String
    let fallbackInstruction: String?
    let limit: Int

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "ppm"]

    private struct Entry: Decodable {
        let image: String
        let instruction: String
    }

    func read() throws -> [CalibrationFrame] {
        let directory = URL(fileURLWithPath: path)
        let entries = try pairs(in: directory)
        guard !entries.isEmpty else { throw CalibrateError.noFrames(path) }
        return try evenlySpaced(count: entries.count, limit: limit).map { index in
            let (image, instruction) = entries[index]
            return CalibrationFrame(image: try ImageDecoder.decode(contentsOf: directory.appendingPathComponent(image)), instruction: instruction)
        }
    }

    private func pairs(in directory: URL) throws -> [(String, String)] {
        let manifest = directory.appendingPathComponent("manifest.json")
        if FileManager.default.fileExists(atPath: manifest.path) {
            do {
                return try JSONDecoder().decode([Entry].self, from: Data(contentsOf: manifest)).map { ($0.image, $0.instruction) }
            } catch {
                throw CalibrateError.badManifest(manifest.path, "\(error)")
            }
        }
        let images = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { Self.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        let list = directory.appendingPathComponent("instructions.txt")
        var lines: [String] = []
        if FileManager.default.fileExists(atPath: list.path) {
            lines = try String(contentsOf: list, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        } else if let fallbackInstruction {
            lines = [fallbackInstruction]
        }
        switch lines.count {
        case 1: return images.map { ($0, lines[0]) }
        case images.count: return Array(zip(images, lines))
        default: throw CalibrateError.instructionCount(lines: lines.count, images: images.count, directory: directory.path)
        }
    }
}

/// Calibration inputs that cannot be used.
enum CalibrateError: Error, CustomStringConvertible {
    case unindexedBag(String)
    case unknownTopic(String, bag: String)
    case ambiguousCamera([String])
    case noInstruction(logTime: UInt64)
    case noFrames(String)
    case badManifest(String, String)
    case instructionCount(lines: Int, images: Int, directory: String)
    case nothingLeft(drop: Int, layers: Int)

    var description: String {
        switch self {
        case let .unindexedBag(path): return "\(path) has no summary/index; run `vla-node bag recover` on it first"
        case let .unknownTopic(topic, bag): return "topic \(topic) is not in \(bag) (or does not carry the expected type)"
        case let .ambiguousCamera(topics):
            return topics.isEmpty ? "the bag has no sensor_msgs Image/CompressedImage topic"
                : "several image topics (\(topics.joined(separator: ", "))); choose one with --camera-topic"
        case let .noInstruction(logTime):
            return "the frame at log time \(logTime) has no instruction before it; pass --instruction-topic or --instruction"
        case let .noFrames(source): return "no calibration frames found in \(source)"
        case let .badManifest(path, detail): return "\(path): expected [{\"image\": …, \"instruction\": …}] (\(detail))"
        case let .instructionCount(lines, images, directory):
            return "\(directory): \(lines) instruction lines for \(images) images; give one line for all or one per image "
                + "(instructions.txt), a manifest.json, or --instruction"
        case let .nothingLeft(drop, layers): return "dropping \(drop) of \(layers) layers leaves none; lower --drop or raise --keep-ratio"
        }
    }
}
