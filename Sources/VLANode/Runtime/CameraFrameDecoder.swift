import Imaging
import Messages

/// Why a camera message was refused. Counted as a malformed message on the camera topic; never fatal.
public enum CameraFrameError: MalformedFrameError, Equatable, CustomStringConvertible {
    /// The payload is not valid CDR for the camera topic's type.
    case undecodable(typeName: String, reason: String)
    /// `sensor_msgs/Image.encoding` is not one the node converts.
    case unsupportedEncoding(String)
    /// `sensor_msgs/CompressedImage.format` / the bytes are neither JPEG nor PNG.
    case unsupportedFormat(String)
    /// The declared size is zero or above the node's pixel limit.
    case badSize(width: Int, height: Int, limit: Int)
    /// The pixels could not be converted (wrong step or byte count, corrupt JPEG/PNG).
    case badPixels(String)

    public var description: String {
        switch self {
        case .undecodable(let typeName, let reason):
            return "not a valid \(typeName): \(reason)"
        case .unsupportedEncoding(let encoding):
            let known = RawPixelEncoding.allCases.map(\.rawValue).joined(separator: ", ")
            return "image encoding \"\(encoding)\" is not supported; publish one of \(known)"
        case .unsupportedFormat(let format):
            return "compressed image data is neither JPEG nor PNG (its format field says \"\(format)\"); publish JPEG or PNG"
        case .badSize(let width, let height, let limit):
            return "image size \(width)×\(height) is empty or above the limit of \(limit) pixels"
        case .badPixels(let reason):
            return "image pixels unusable: \(reason)"
        }
    }
}

/// Decodes camera messages of the launch file's `camera.type` (`sensor_msgs/msg/Image` in rgb8, bgr8,
/// rgba8, bgra8 or mono8 at any size, or `sensor_msgs/msg/CompressedImage` holding JPEG or PNG).
///
/// The ingress thread calls `validate` on every message (a cheap CDR and header check that never copies
/// the pixels, so garbage never displaces a good frame in the mailbox and a 36 MB frame costs no more
/// than a small one); the inference thread calls `image` only on the frames it runs.
public struct CameraFrameDecoder: Sendable {
    /// The largest accepted image, in pixels (a 8192 × 4096 frame).
    public static let maximumPixelCount = 1 << 25

    /// The camera topic's message type.
    public let type: CameraMessageType

    /// Creates a decoder for one camera message type.
    public init(type: CameraMessageType) {
        self.type = type
    }

    /// Checks a camera payload and returns its `header.stamp` in nanoseconds since the Unix epoch.
    /// - Throws: `CameraFrameError`.
    public func validate(_ payload: [UInt8]) throws -> Int64 {
        switch type {
        case .image:
            let layout = try decodeCDR(Image.typeName) { try ImageLayout(cdrBytes: payload) }
            _ = try Self.rawEncoding(of: layout)
            return layout.header.stamp.nanoseconds
        case .compressedImage:
            let image = try decodeCDR(CompressedImage.typeName) { try CompressedImage(cdrBytes: payload) }
            guard Self.isSupportedCompressed(image.data) else { throw CameraFrameError.unsupportedFormat(image.format) }
            return image.header.stamp.nanoseconds
        }
    }

    /// The RGB image of a camera payload.
    /// - Throws: `CameraFrameError`.
    public func image(from payload: [UInt8]) throws -> RGBImage {
        switch type {
        case .image:
            let image = try decodeCDR(Image.typeName) { try Image(cdrBytes: payload) }
            let encoding = try Self.rawEncoding(of: image.layout)
            do {
                return try RGBImage(rawPixels: image.data, width: Int(image.width), height: Int(image.height),
                                    step: Int(image.step), encoding: encoding)
            } catch {
                throw CameraFrameError.badPixels(String(describing: error))
            }
        case .compressedImage:
            let image = try decodeCDR(CompressedImage.typeName) { try CompressedImage(cdrBytes: payload) }
            guard Self.isSupportedCompressed(image.data) else { throw CameraFrameError.unsupportedFormat(image.format) }
            do {
                return try ImageDecoder.decode(image.data, maximumPixelCount: Self.maximumPixelCount)
            } catch {
                throw CameraFrameError.badPixels(String(describing: error))
            }
        }
    }

    private func decodeCDR<Decoded>(_ typeName: String, _ decode: () throws -> Decoded) throws -> Decoded {
        do {
            return try decode()
        } catch {
            throw CameraFrameError.undecodable(typeName: typeName, reason: String(describing: error))
        }
    }

    /// The encoding of an Image, checked against its size, step and pixel byte count.
    private static func rawEncoding(of layout: ImageLayout) throws -> RawPixelEncoding {
        let name = layout.encoding, step = layout.step, dataCount = layout.dataCount
        guard let encoding = RawPixelEncoding(rawValue: name) else {
            throw CameraFrameError.unsupportedEncoding(name)
        }
        let width = Int(layout.width), height = Int(layout.height)
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, pixels <= maximumPixelCount else {
            throw CameraFrameError.badSize(width: width, height: height, limit: maximumPixelCount)
        }
        let (expected, stepOverflow) = Int(step).multipliedReportingOverflow(by: height)
        guard !stepOverflow, Int(step) >= width * encoding.bytesPerPixel, dataCount == expected else {
            throw CameraFrameError.badPixels("\(dataCount) data bytes for \(width)×\(height) \(name) with step \(step)")
        }
        return encoding
    }

    private static func isSupportedCompressed(_ data: [UInt8]) -> Bool {
        switch ImageDecoder.detectFormat(data) {
        case .jpeg?, .png?: return true
        default: return false
        }
    }
}
