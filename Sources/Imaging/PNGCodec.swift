import CPNG

/// PNG decoding and encoding through libpng's "simplified" API, which traps libpng errors
/// internally and reports them as return codes (no longjmp reaches Swift).
enum PNGCodec {
    /// Ancillary chunks that would make libpng convert samples between colour spaces.
    private static let colorSpaceChunks: Set<[UInt8]> = [Array("gAMA".utf8), Array("cHRM".utf8),
                                                         Array("sRGB".utf8), Array("iCCP".utf8)]

    /// Decodes any PNG colour type and bit depth to RGB8. Gray is replicated, palettes expanded,
    /// alpha dropped (like Pillow's `convert("RGB")`), and 16-bit samples keep their high byte
    /// (like Pillow's 16-bit RGB unpacking). Colour-space chunks are ignored, as Pillow does, so
    /// the stored sample values come through unchanged.
    static func decode(_ bytes: [UInt8], maximumPixelCount: Int) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let layout = PNGChunks(bytes)
        let stream = withoutColorSpaceChunks(bytes, layout)
        let begun = stream.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw ImagingError.malformedPNG(message(of: &image)) }
        defer { png_image_free(&image) }

        let width = Int(image.width), height = Int(image.height)
        try ImageDecoder.checkSize(width: width, height: height, maximumPixelCount: maximumPixelCount)
        try checkImageDataSuffices(bytes, layout, width: width, height: height)
        let isSixteenBit = image.format & PNG_FORMAT_FLAG_LINEAR != 0
        let hasAlpha = image.format & PNG_FORMAT_FLAG_ALPHA != 0
        image.format = PNG_FORMAT_FLAG_COLOR | (hasAlpha ? PNG_FORMAT_FLAG_ALPHA : 0)
            | (isSixteenBit ? PNG_FORMAT_FLAG_LINEAR : 0)
        let channels = hasAlpha ? 4 : 3
        let pixelCount = width * height

        if isSixteenBit {
            var samples = [UInt16](repeating: 0, count: pixelCount * channels)
            try finishRead(&image, into: &samples)
            return RGBImage(validatedWidth: width, height: height,
                            pixels: rgb8(fromLinear16: samples, channels: channels, pixelCount: pixelCount))
        }
        var samples = [UInt8](repeating: 0, count: pixelCount * channels)
        try finishRead(&image, into: &samples)
        guard hasAlpha else { return RGBImage(validatedWidth: width, height: height, pixels: samples) }
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for index in 0..<pixelCount {
            rgb[3 * index] = samples[4 * index]
            rgb[3 * index + 1] = samples[4 * index + 1]
            rgb[3 * index + 2] = samples[4 * index + 2]
        }
        return RGBImage(validatedWidth: width, height: height, pixels: rgb)
    }

    /// The PNG stream without gAMA/cHRM/sRGB/iCCP chunks. Stops filtering at the first chunk whose
    /// length runs past the end and keeps the rest as is, leaving the error to libpng.
    private static func withoutColorSpaceChunks(_ bytes: [UInt8], _ layout: PNGChunks) -> [UInt8] {
        var output = Array(bytes.prefix(PNGChunks.signatureLength))
        for chunk in layout.chunks where !colorSpaceChunks.contains(Array(chunk.type)) {
            output += bytes[chunk.range]
        }
        return output + bytes[layout.end...]
    }

    /// deflate expands its input at most 1032-fold (a 258-byte match per 2-bit code).
    private static let maximumDeflateRatio = 1032

    /// Throws unless the IDAT data could inflate to the scanlines IHDR declares (one filter byte plus the
    /// packed samples per row), so a tiny file cannot make the decoder allocate a frame-sized buffer.
    /// Runs after libpng accepted the header, which guarantees that IHDR is the first chunk.
    private static func checkImageDataSuffices(_ bytes: [UInt8], _ layout: PNGChunks, width: Int, height: Int) throws {
        let bitDepthOffset = PNGChunks.signatureLength + 16, colorTypeOffset = bitDepthOffset + 1
        guard bytes.count > colorTypeOffset else { throw ImagingError.malformedPNG("IHDR is truncated") }
        let channelsByColorType: [UInt8: Int] = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4]
        let bitsPerPixel = Int(bytes[bitDepthOffset]) * (channelsByColorType[bytes[colorTypeOffset]] ?? 1)
        let (rowBits, rowOverflow) = width.multipliedReportingOverflow(by: bitsPerPixel)
        let (scanlineBytes, sizeOverflow) = height.multipliedReportingOverflow(by: 1 + (rowBits + 7) / 8)
        let idatBytes = layout.dataCount(of: "IDAT")
        let (inflatable, inflatableOverflow) = idatBytes.multipliedReportingOverflow(by: maximumDeflateRatio)
        let tooShort = rowOverflow || sizeOverflow || (!inflatableOverflow && scanlineBytes > inflatable)
        guard tooShort else { return }
        throw ImagingError.malformedPNG("\(idatBytes) bytes of IDAT data cannot hold \(width)×\(height) pixels; the file is truncated or forged")
    }

    /// Encodes an image as an 8-bit RGB PNG.
    static func encode(_ rgb: RGBImage) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(rgb.width)
        image.height = UInt32(rgb.height)
        image.format = PNG_FORMAT_FLAG_COLOR
        var size = 0
        let sized = rgb.pixels.withUnsafeBytes {
            png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil)
        }
        guard sized != 0 else { throw ImagingError.pngEncodingFailed(message(of: &image)) }
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { destination in
            rgb.pixels.withUnsafeBytes {
                png_image_write_to_memory(&image, destination.baseAddress, &size, 0, $0.baseAddress, 0, nil)
            }
        }
        guard written != 0 else { throw ImagingError.pngEncodingFailed(message(of: &image)) }
        return Array(output.prefix(size))
    }

    /// Runs `png_image_finish_read` into a buffer sized for `image.format`.
    private static func finishRead<Sample>(_ image: inout png_image, into samples: inout [Sample]) throws {
        let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw ImagingError.malformedPNG(message(of: &image)) }
    }

    /// Converts libpng's linear 16-bit output (alpha premultiplied when present) to RGB8.
    private static func rgb8(fromLinear16 samples: [UInt16], channels: Int, pixelCount: Int) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for index in 0..<pixelCount {
            let alpha = channels == 4 ? UInt32(samples[4 * index + 3]) : 65535
            for channel in 0..<3 {
                let premultiplied = UInt32(samples[channels * index + channel])
                let straight = alpha == 0 ? 0 : min(65535, (premultiplied * 65535 + alpha / 2) / alpha)
                rgb[3 * index + channel] = UInt8(straight >> 8)
            }
        }
        return rgb
    }

    /// libpng's error text stored in the image control structure.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "unknown libpng error" : String(decoding: text, as: UTF8.self)
        }
    }
}
