/// Errors raised while building, decoding or encoding images.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// Width or height is zero or negative.
    case invalidDimensions(width: Int, height: Int)
    /// The pixel buffer does not hold exactly `width × height × 3` bytes.
    case pixelCountMismatch(expected: Int, actual: Int)
    /// The image is larger than the decoder accepts.
    case imageTooLarge(width: Int, height: Int, maximumPixelCount: Int)
    /// The bytes start with no known image signature.
    case unrecognizedFormat
    /// A PNG file could not be decoded; the payload is libpng's message.
    case malformedPNG(String)
    /// A JPEG file could not be decoded; the payload is libjpeg-turbo's message.
    case malformedJPEG(String)
    /// A valid JPEG whose colour space cannot be converted to RGB (CMYK, YCCK).
    case unsupportedJPEG(String)
    /// A PPM/PGM file is truncated or its header is invalid.
    case malformedPNM(String)
    /// A well-formed PPM/PGM variant that is not supported (for example maxval other than 255).
    case unsupportedPNM(String)
    /// A ROS `sensor_msgs/Image` encoding that cannot be converted to RGB.
    case unsupportedRawEncoding(String)
    /// A raw pixel buffer whose `step` or byte count does not fit its width and height.
    case invalidRawLayout(String)
    /// Encoding a PNG failed; the payload is libpng's message.
    case pngEncodingFailed(String)
    /// A file could not be read or written.
    case fileAccess(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidDimensions(width, height):
            return "invalid image size \(width)×\(height): width and height must be positive"
        case let .pixelCountMismatch(expected, actual):
            return "RGB pixel buffer has \(actual) bytes, expected width × height × 3 = \(expected)"
        case let .imageTooLarge(width, height, limit):
            return "image of \(width)×\(height) pixels exceeds the limit of \(limit) pixels"
        case .unrecognizedFormat:
            return "unrecognized image format: expected PNG, JPEG, binary PPM (P6) or binary PGM (P5)"
        case let .malformedPNG(message):
            return "cannot decode PNG: \(message)"
        case let .malformedJPEG(message):
            return "cannot decode JPEG: \(message)"
        case let .unsupportedJPEG(message):
            return "unsupported JPEG: \(message)"
        case let .malformedPNM(message):
            return "cannot decode PPM/PGM: \(message)"
        case let .unsupportedPNM(message):
            return "unsupported PPM/PGM: \(message)"
        case let .unsupportedRawEncoding(encoding):
            return "unsupported raw image encoding '\(encoding)': use rgb8, bgr8, rgba8, bgra8 or mono8"
        case let .invalidRawLayout(message):
            return "invalid raw image layout: \(message)"
        case let .pngEncodingFailed(message):
            return "cannot encode PNG: \(message)"
        case let .fileAccess(path, reason):
            return "cannot access image file \(path): \(reason)"
        }
    }
}
