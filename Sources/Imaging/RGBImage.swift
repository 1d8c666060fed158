/// An 8-bit RGB image stored row-major, interleaved (height × width × 3, "HWC").
public struct RGBImage: Sendable, Equatable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// `height × width × 3` bytes: row 0 first, each pixel as R, G, B.
    public let pixels: [UInt8]

    /// Wraps an existing RGB8 buffer.
    /// - Throws: `ImagingError.invalidDimensions` for a non-positive size,
    ///   `ImagingError.pixelCountMismatch` when `pixels.count != width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else { throw ImagingError.invalidDimensions(width: width, height: height) }
        let (area, areaOverflow) = width.multipliedReportingOverflow(by: height)
        let (expected, byteOverflow) = area.multipliedReportingOverflow(by: 3)
        guard !areaOverflow, !byteOverflow, pixels.count == expected else {
            throw ImagingError.pixelCountMismatch(expected: areaOverflow || byteOverflow ? Int.max : expected,
                                                  actual: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Builds an image from a buffer whose size the caller has already validated.
    init(validatedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
