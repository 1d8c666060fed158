import CPNG

/// PNG encoding through libpng's "simplified" write API, which traps libpng errors internally and
/// reports them as return codes (no longjmp reaches Swift). Every pointer it is given is used only
/// during the call that receives it, and the call frees libpng's state before returning.
enum PNGEncoder {
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

    /// libpng's error text stored in the image control structure.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "unknown libpng error" : String(decoding: text, as: UTF8.self)
        }
    }
}
