import Foundation

/// Decodes PNG, JPEG, binary PPM (P6) and binary PGM (P5) into `RGBImage`, choosing the
/// format from the leading magic bytes.
public enum ImageDecoder {
    /// Default upper bound on `width × height` accepted from a file header (256 Mpx).
    public static let defaultMaximumPixelCount = 1 << 28

    /// The container formats `decode` recognises.
    public enum Format: Sendable, Equatable {
        /// PNG (signature `\x89PNG\r\n\x1a\n`).
        case png
        /// JPEG/JFIF (SOI marker followed by another marker, `FF D8 FF`).
        case jpeg
        /// Binary PPM (`P6`).
        case ppm
        /// Binary PGM (`P5`).
        case pgm
    }

    /// Identifies the format from the magic bytes, or returns nil.
    public static func detectFormat(_ bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: Array("P6".utf8)) { return .ppm }
        if bytes.starts(with: Array("P5".utf8)) { return .pgm }
        return nil
    }

    /// Decodes an encoded image held in memory.
    /// - Parameter maximumPixelCount: images whose header declares more pixels are rejected before
    ///   any pixel memory is allocated.
    /// - Throws: `ImagingError` for unknown, corrupt, truncated or oversized input.
    public static func decode(_ bytes: [UInt8],
                              maximumPixelCount: Int = defaultMaximumPixelCount) throws -> RGBImage {
        switch detectFormat(bytes) {
        case .png: return try PNGDecoder.decode(bytes, maximumPixelCount: maximumPixelCount)
        case .jpeg: return try JPEGDecoder.decode(bytes, maximumPixelCount: maximumPixelCount)
        case .ppm, .pgm: return try PNMCodec.decode(bytes, maximumPixelCount: maximumPixelCount)
        case nil: throw ImagingError.unrecognizedFormat
        }
    }

    /// Reads and decodes an image file.
    /// - Throws: `ImagingError.fileAccess` when the file cannot be read, otherwise as `decode(_:)`.
    public static func decode(contentsOf url: URL,
                              maximumPixelCount: Int = defaultMaximumPixelCount) throws -> RGBImage {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImagingError.fileAccess(path: url.path, reason: error.localizedDescription)
        }
        return try decode([UInt8](data), maximumPixelCount: maximumPixelCount)
    }

    /// Throws `imageTooLarge` unless `width × height` is positive and within the limit.
    static func checkSize(width: Int, height: Int, maximumPixelCount: Int) throws {
        guard width > 0, height > 0 else { throw ImagingError.invalidDimensions(width: width, height: height) }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, area <= maximumPixelCount else {
            throw ImagingError.imageTooLarge(width: width, height: height, maximumPixelCount: maximumPixelCount)
        }
    }
}
