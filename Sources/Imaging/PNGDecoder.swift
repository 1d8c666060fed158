import CPNGDecode

/// PNG decoding through libpng's standard read API (the C target `CPNGDecode`), pixel-exact with
/// Pillow's `Image.open(f).convert("RGB")` for every colour type, bit depth and interlacing:
/// palettes are expanded, gray is replicated, alpha and tRNS transparency are dropped (not
/// composited), 16-bit samples keep their high byte, except 16-bit gray without alpha, which
/// Pillow opens as mode `I;16` and converts by clamping: values above 255 become 255. Gamma,
/// chromaticity, sRGB and ICC chunks are ignored, as Pillow does, so stored samples come through
/// unchanged.
///
/// The input and output buffers are lent to C only for the duration of each call; the C code keeps
/// no pointer after it returns, and libpng's longjmp error handling never leaves C.
enum PNGDecoder {
    /// Room for libpng's error messages (they are well under 100 bytes).
    private static let messageCapacity = 256

    /// Decodes a PNG stream to RGB8.
    /// - Throws: `ImagingError.imageTooLarge` or `.invalidDimensions` for a header outside the limit,
    ///   `.malformedPNG` with libpng's message for a corrupt or truncated stream, or when the image
    ///   data is too short to hold the pixels the header declares. Both checks run before the pixel
    ///   buffer is allocated.
    static func decode(_ bytes: [UInt8], maximumPixelCount: Int) throws -> RGBImage {
        var header = vla_png_header()
        try call { message in
            bytes.withUnsafeBufferPointer {
                vla_png_read_header($0.baseAddress, $0.count, &header, message.baseAddress, message.count)
            }
        }
        let width = Int(header.width), height = Int(header.height)
        try ImageDecoder.checkSize(width: width, height: height, maximumPixelCount: maximumPixelCount)
        try checkImageDataSuffices(PNGChunks(bytes).dataCount(of: "IDAT"), header: header)

        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        try call { message in
            pixels.withUnsafeMutableBufferPointer { output in
                bytes.withUnsafeBufferPointer {
                    vla_png_decode_rgb8($0.baseAddress, $0.count, output.baseAddress, output.count,
                                        message.baseAddress, message.count)
                }
            }
        }
        return RGBImage(validatedWidth: width, height: height, pixels: pixels)
    }

    /// Runs one C entry point with a message buffer and throws `malformedPNG` with the message when
    /// it returns 0.
    private static func call(_ body: (UnsafeMutableBufferPointer<CChar>) -> Int32) throws {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let succeeded = message.withUnsafeMutableBufferPointer { body($0) }
        guard succeeded == 0 else { return }
        let text = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        throw ImagingError.malformedPNG(text.isEmpty ? "unknown libpng error" : String(decoding: text, as: UTF8.self))
    }

    /// deflate expands its input at most 1032-fold (a 258-byte match per 2-bit code).
    private static let maximumDeflateRatio = 1032

    /// Throws unless `idatBytes` of deflate data could inflate to the scanlines the header declares
    /// (one filter byte plus the packed samples per row; Adam7 interlacing only adds bytes), so a tiny
    /// file cannot make the decoder allocate a frame-sized buffer.
    private static func checkImageDataSuffices(_ idatBytes: Int, header: vla_png_header) throws {
        let width = Int(header.width), height = Int(header.height)
        let channelsByColorType: [UInt8: Int] = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4]
        let bitsPerPixel = Int(header.bit_depth) * (channelsByColorType[header.color_type] ?? 1)
        let (rowBits, rowOverflow) = width.multipliedReportingOverflow(by: bitsPerPixel)
        let (scanlineBytes, sizeOverflow) = height.multipliedReportingOverflow(by: 1 + (rowBits + 7) / 8)
        let (inflatable, inflatableOverflow) = idatBytes.multipliedReportingOverflow(by: maximumDeflateRatio)
        let tooShort = rowOverflow || sizeOverflow || (!inflatableOverflow && scanlineBytes > inflatable)
        guard tooShort else { return }
        throw ImagingError.malformedPNG("\(idatBytes) bytes of IDAT data cannot hold \(width)×\(height) pixels; the file is truncated or forged")
    }
}
