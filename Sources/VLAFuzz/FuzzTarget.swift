import Bag
import Imaging
import Messages
import VLANode

/// The parsers a fuzzer drives: each takes arbitrary bytes and must either succeed or throw one of its
/// typed errors, never trap, hang or touch memory it does not own. A thrown error is the expected
/// outcome for most inputs and is ignored; a crash is the finding.
enum FuzzTarget: String, CaseIterable {
    /// PNG, JPEG and PPM/PGM through `ImageDecoder` (the format is detected from the bytes).
    case image
    /// A `sensor_msgs/Image` CDR payload through the node's camera decoder (every raw encoding).
    case rawCamera = "raw-camera"
    /// A `sensor_msgs/CompressedImage` CDR payload through the node's camera decoder.
    case compressedCamera = "compressed-camera"
    /// Every message type of `msgs/` decoded from the same CDR bytes.
    case cdr
    /// An MCAP file through the indexed reader, the streaming reader and `BagInfo`.
    case mcap
    /// A launch file (YAML) through the node's schema.
    case launch

    /// Runs one input through the target's parsers.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .image:
            _ = try? ImageDecoder.decode(bytes, maximumPixelCount: 1 << 22)
        case .rawCamera:
            _ = try? CameraFrameDecoder(type: .image).image(from: bytes)
        case .compressedCamera:
            _ = try? CameraFrameDecoder(type: .compressedImage).image(from: bytes)
        case .cdr:
            for type in MessageCatalog.all { _ = try? type.init(cdrBytes: bytes) }
        case .mcap:
            Self.readMCAP(bytes)
        case .launch:
            _ = try? LaunchLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), sourceName: "fuzz.yaml")
        }
    }

    private static func readMCAP(_ bytes: [UInt8]) {
        let input = MCAPMemoryInput(bytes)
        if let reader = try? MCAPIndexedReader(input: input) {
            try? reader.forEachMessage { _ in }
        }
        if var stream = try? MCAPStreamReader(input: input) {
            _ = try? stream.readAll()
        }
        _ = try? BagInfo(input: input)
    }
}
