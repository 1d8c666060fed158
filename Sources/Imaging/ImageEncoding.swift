import Foundation

extension RGBImage {
    /// The image as a binary PPM (`P6`, maxval 255) file.
    public func ppmData() -> [UInt8] {
        PNMCodec.encode(self)
    }

    /// The image as an 8-bit RGB PNG file.
    /// - Throws: `ImagingError.pngEncodingFailed` if libpng reports an error.
    public func pngData() throws -> [UInt8] {
        try PNGEncoder.encode(self)
    }

    /// Writes the image to `url`, as PNG when the extension is `png`, otherwise as binary PPM.
    /// - Throws: `ImagingError.fileAccess` when the file cannot be written.
    public func write(to url: URL) throws {
        let bytes = url.pathExtension.lowercased() == "png" ? try pngData() : ppmData()
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw ImagingError.fileAccess(path: url.path, reason: error.localizedDescription)
        }
    }
}
