import Bag
import Foundation
import Imaging
import Messages
import VLANode

/// Frames of a camera topic of an MCAP bag, each with the latest instruction seen before it.
struct BagFrames {
    let path: String
    let cameraTopic: String?
    let instructionTopic: String?
    let fallbackInstruction: String?
    let limit: Int
    /// nil: `limit` frames evenly spaced over the bag (calibration); k: the first `limit` frames of
    /// every k-th one, in order (consecutive camera frames for temporal reuse).
    var stride: Int? = nil

    static let imageTypes: Set<String> = [Image.typeName, CompressedImage.typeName]

    func read() throws -> [CalibrationFrame] {
        let reader: MCAPIndexedReader
        do { reader = try MCAPIndexedReader(input: try MCAPFileInput(path: path)) } catch MCAPError.missingSummary {
            throw CalibrateError.unindexedBag(path)
        }
        let camera = try resolveCameraTopic(reader)
        let instructionTopic = try resolveInstructionTopic(reader)
        var total = 0
        try reader.forEachMessage(topics: [camera]) { _ in total += 1 }
        let chosen = Set(stride.map { step in (0 ..< min(limit, (total + step - 1) / step)).map { $0 * step } }
            ?? evenlySpaced(count: total, limit: limit))
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

    /// Topics whose schema is one of `types`.
    private func topics(of types: Set<String>, in reader: MCAPIndexedReader) -> [String] {
        reader.channels.values.filter { channel in
            reader.schemas[channel.schemaID].map { types.contains($0.name) } ?? false
        }.map(\.topic)
    }

    /// `--instruction-topic`, else the bag's only std_msgs/String topic, else none (`--instruction` then applies).
    private func resolveInstructionTopic(_ reader: MCAPIndexedReader) throws -> String? {
        let stringTopics = topics(of: [StringMessage.typeName], in: reader)
        guard let instructionTopic else { return stringTopics.count == 1 ? stringTopics[0] : nil }
        guard stringTopics.contains(instructionTopic) else { throw CalibrateError.unknownTopic(instructionTopic, bag: path) }
        return instructionTopic
    }

    private func resolveCameraTopic(_ reader: MCAPIndexedReader) throws -> String {
        let imageTopics = topics(of: Self.imageTypes, in: reader)
        if let cameraTopic {
            guard imageTopics.contains(cameraTopic) else { throw CalibrateError.unknownTopic(cameraTopic, bag: path) }
            return cameraTopic
        }
        guard imageTopics.count == 1, let only = imageTopics.first else { throw CalibrateError.ambiguousCamera(imageTopics.sorted()) }
        return only
    }

    /// The frame decoded exactly as the node decodes its camera topic.
    private func decode(_ message: MCAPMessage) throws -> RGBImage {
        let type: CameraMessageType = message.schema?.name == CompressedImage.typeName ? .compressedImage : .image
        return try CameraFrameDecoder(type: type).image(from: message.data)
    }
}
