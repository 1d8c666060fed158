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
            return "the frame at log time \(logTime) has no instruction before it (the bag has no single std_msgs/String topic before it); pass --instruction-topic or --instruction"
        case let .noFrames(source): return "no calibration frames found in \(source)"
        case let .badManifest(path, detail): return "\(path): expected [{\"image\": …, \"instruction\": …}] (\(detail))"
        case let .instructionCount(lines, images, directory):
            return "\(directory): \(lines) instruction lines for \(images) images; give one line for all or one per image "
                + "(instructions.txt), a manifest.json, or --instruction"
        case let .nothingLeft(drop, layers): return "dropping \(drop) of \(layers) layers leaves none; lower --drop or raise --keep-ratio"
        }
    }
}
