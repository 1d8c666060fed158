/// Pixel layouts of ROS 2 `sensor_msgs/Image.encoding` that convert to RGB8.
public enum RawPixelEncoding: String, Sendable, CaseIterable {
    /// 3 bytes per pixel: red, green, blue.
    case rgb8
    /// 3 bytes per pixel: blue, green, red (OpenCV order).
    case bgr8
    /// 4 bytes per pixel: red, green, blue, alpha (alpha dropped).
    case rgba8
    /// 4 bytes per pixel: blue, green, red, alpha (alpha dropped).
    case bgra8
    /// 1 byte per pixel: gray, replicated to all three channels.
    case mono8

    /// Bytes per pixel in the source buffer.
    public var bytesPerPixel: Int {
        switch self {
        case .rgb8, .bgr8: return 3
        case .rgba8, .bgra8: return 4
        case .mono8: return 1
        }
    }

    /// Byte offsets of red, green and blue inside one source pixel.
    var rgbOffsets: (red: Int, green: Int, blue: Int) {
        switch self {
        case .rgb8, .rgba8: return (0, 1, 2)
        case .bgr8, .bgra8: return (2, 1, 0)
        case .mono8: return (0, 0, 0)
        }
    }
}

extension RGBImage {
    /// Converts a raw `sensor_msgs/Image` buffer (rows of `step` bytes, possibly padded) to RGB8.
    /// - Parameter encoding: the message's `encoding` string (`rgb8`, `bgr8`, `rgba8`, `bgra8`, `mono8`).
    /// - Throws: `ImagingError.unsupportedRawEncoding` for other encodings, `invalidDimensions` for a
    ///   non-positive size, `invalidRawLayout` when `step < width × bytesPerPixel` or
    ///   `rawPixels.count != step × height`.
    public init(rawPixels: [UInt8], width: Int, height: Int, step: Int, encoding: String) throws {
        guard let layout = RawPixelEncoding(rawValue: encoding) else {
            throw ImagingError.unsupportedRawEncoding(encoding)
        }
        try self.init(rawPixels: rawPixels, width: width, height: height, step: step, encoding: layout)
    }

    /// Converts a raw pixel buffer of a known layout to RGB8; see `init(rawPixels:width:height:step:encoding:)`.
    public init(rawPixels: [UInt8], width: Int, height: Int, step: Int, encoding: RawPixelEncoding) throws {
        guard width > 0, height > 0 else { throw ImagingError.invalidDimensions(width: width, height: height) }
        let (rowBytes, rowOverflow) = width.multipliedReportingOverflow(by: encoding.bytesPerPixel)
        guard !rowOverflow, step >= rowBytes else {
            throw ImagingError.invalidRawLayout("step \(step) is smaller than width \(width) × \(encoding.bytesPerPixel) bytes")
        }
        let (total, totalOverflow) = step.multipliedReportingOverflow(by: height)
        guard !totalOverflow, rawPixels.count == total else {
            throw ImagingError.invalidRawLayout("data has \(rawPixels.count) bytes, expected step \(step) × height \(height)")
        }
        if encoding == .rgb8 {  // already RGB8: share the buffer, or drop the row padding
            let rgb = step == rowBytes ? rawPixels : Self.unpaddedRows(of: rawPixels, rowBytes: rowBytes, step: step, height: height)
            self.init(validatedWidth: width, height: height, pixels: rgb)
            return
        }
        let offsets = encoding.rgbOffsets
        let stride = encoding.bytesPerPixel
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            for column in 0..<width {
                let source = row * step + column * stride
                let destination = (row * width + column) * 3
                rgb[destination] = rawPixels[source + offsets.red]
                rgb[destination + 1] = rawPixels[source + offsets.green]
                rgb[destination + 2] = rawPixels[source + offsets.blue]
            }
        }
        self.init(validatedWidth: width, height: height, pixels: rgb)
    }

    private static func unpaddedRows(of buffer: [UInt8], rowBytes: Int, step: Int, height: Int) -> [UInt8] {
        var rows = [UInt8]()
        rows.reserveCapacity(rowBytes * height)
        for row in 0..<height { rows.append(contentsOf: buffer[row * step ..< row * step + rowBytes]) }
        return rows
    }
}
