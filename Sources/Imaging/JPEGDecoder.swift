import CJPEG

/// JPEG decoding through libjpeg-turbo's TurboJPEG API, which reports errors as return codes.
/// Warnings (for example a truncated scan) are treated as errors, as Pillow does by default.
enum JPEGDecoder {
    static func decode(_ bytes: [UInt8], maximumPixelCount: Int) throws -> RGBImage {
        guard let size = UInt(exactly: bytes.count) else { throw ImagingError.malformedJPEG("input too large") }
        // The TurboJPEG handle keeps a pointer to the source after each call, so it lives and dies
        // inside the closure that lends that pointer.
        return try bytes.withUnsafeBufferPointer { source in
            guard let handle = tjInitDecompress() else { throw ImagingError.malformedJPEG("cannot create a TurboJPEG decoder") }
            defer { tjDestroy(handle) }

            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            let headerStatus = tjDecompressHeader3(handle, source.baseAddress, size, &width, &height, &subsampling, &colorspace)
            guard headerStatus == 0 else { throw ImagingError.malformedJPEG(errorText(handle)) }
            try ImageDecoder.checkSize(width: Int(width), height: Int(height), maximumPixelCount: maximumPixelCount)
            guard colorspace != Int32(TJCS_CMYK.rawValue), colorspace != Int32(TJCS_YCCK.rawValue) else {
                throw ImagingError.unsupportedJPEG("CMYK/YCCK colour space; save the frame as RGB or grayscale")
            }

            var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
            let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
            let status = pixels.withUnsafeMutableBufferPointer { destination in
                tjDecompress2(handle, source.baseAddress, size, destination.baseAddress, width, 0, height,
                              Int32(TJPF_RGB.rawValue), flags)
            }
            guard status == 0 else { throw ImagingError.malformedJPEG(errorText(handle)) }
            return RGBImage(validatedWidth: Int(width), height: Int(height), pixels: pixels)
        }
    }

    private static func errorText(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown libjpeg-turbo error" }
        return String(cString: text)
    }
}
