import CKernels

/// Antialiased bicubic resizing that reproduces Pillow's `Image.resize(size, Image.BICUBIC)` on
/// RGB8 images bit for bit: separable Keys cubic (a = −0.5) whose support widens by the
/// downscale factor, a horizontal pass then a vertical pass, 22-bit fixed-point weights and
/// uint8 rounding/clamping after each pass.
public enum ImageResampler {
    /// Resizes `image` to `width × height`. An image already at the target size is returned
    /// unchanged; non-positive target sizes also return the input unchanged.
    public static func resizeBicubic(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        guard width > 0, height > 0 else { return image }
        var pixels = image.pixels
        var currentWidth = image.width
        if width != image.width {
            let kernel = FixedPointKernel(inputSize: image.width, outputSize: width)
            pixels = resampleRows(pixels, width: image.width, height: image.height, kernel: kernel)
            currentWidth = width
        }
        if height != image.height {
            let kernel = FixedPointKernel(inputSize: image.height, outputSize: height)
            pixels = resampleColumns(pixels, width: currentWidth, kernel: kernel)
        }
        return RGBImage(validatedWidth: currentWidth, height: height, pixels: pixels)
    }

    /// Horizontal pass: every output column mixes a window of input columns of the same row
    /// (`vla_resample_rows_rgb8`: each row widened to 4-lane integer pixels, one vector
    /// multiply-add per tap for the three channels).
    private static func resampleRows(_ source: [UInt8], width: Int, height: Int, kernel: FixedPointKernel) -> [UInt8] {
        var widened = [Int32](repeating: 0, count: 4 * width)
        return [UInt8](unsafeUninitializedCapacity: kernel.outputSize * height * 3) { output, initialized in
            kernel.withCKernel { cKernel in
                source.withUnsafeBufferPointer { input in
                    widened.withUnsafeMutableBufferPointer { scratch in
                        vla_resample_rows_rgb8(input.baseAddress, width, height, output.baseAddress, cKernel, scratch.baseAddress)
                    }
                }
            }
            initialized = kernel.outputSize * height * 3
        }
    }

    /// Vertical pass: every output row mixes a window of input rows, added one after the other
    /// into a row of integer sums (`vla_resample_columns_rgb8`), reading whole rows.
    private static func resampleColumns(_ source: [UInt8], width: Int, kernel: FixedPointKernel) -> [UInt8] {
        let rowLength = width * 3
        var sums = [Int32](repeating: 0, count: rowLength)
        return [UInt8](unsafeUninitializedCapacity: kernel.outputSize * rowLength) { output, initialized in
            kernel.withCKernel { cKernel in
                source.withUnsafeBufferPointer { input in
                    sums.withUnsafeMutableBufferPointer { scratch in
                        vla_resample_columns_rgb8(input.baseAddress, rowLength, output.baseAddress, cKernel, scratch.baseAddress)
                    }
                }
            }
            initialized = kernel.outputSize * rowLength
        }
    }
}

/// Per-output-position input windows and fixed-point weights along one axis, computed as Pillow
/// does: double-precision Keys weights normalised to sum 1, then rounded half away from zero to
/// `precisionBits` fractional bits. Sums are 32-bit like Pillow's: 8 bits of pixel and 2 of headroom
/// for the negative lobes leave 22 for the weights, so no sum can overflow.
struct FixedPointKernel {
    /// Fractional bits of the weights: 32 − 8 (pixel) − 2 (headroom for negative lobes).
    static let precisionBits = 22
    /// Support radius of the Keys cubic filter at scale 1.
    private static let cubicSupport = 2.0

    /// Per output position: the first input index of its window, the window's length, and the
    /// offset of its weights in `weights`.
    let firsts: [Int32], counts: [Int32], offsets: [Int32]
    let weights: [Int32]

    /// Output positions.
    var outputSize: Int { firsts.count }

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = Self.cubicSupport * filterScale
        let inverseFilterScale = 1.0 / filterScale
        var firsts: [Int32] = [], counts: [Int32] = [], offsets: [Int32] = []
        var weights: [Int32] = []
        for position in 0..<outputSize {
            let center = (Double(position) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), inputSize)
            let taps = (first..<max(end, first)).map { Self.keysCubic((Double($0) - center + 0.5) * inverseFilterScale) }
            let total = taps.reduce(0, +)
            firsts.append(Int32(first))
            counts.append(Int32(taps.count))
            offsets.append(Int32(weights.count))
            weights += taps.map { Self.toFixedPoint(total == 0 ? $0 : $0 / total) }
        }
        self.firsts = firsts
        self.counts = counts
        self.offsets = offsets
        self.weights = weights
    }

    /// Calls `body` with the C view of this kernel, valid only inside `body`.
    func withCKernel<Result>(_ body: (UnsafePointer<VLAResampleKernel>) -> Result) -> Result {
        firsts.withUnsafeBufferPointer { firsts in
            counts.withUnsafeBufferPointer { counts in
                offsets.withUnsafeBufferPointer { offsets in
                    weights.withUnsafeBufferPointer { weights in
                        var kernel = VLAResampleKernel(outputs: firsts.count, firsts: firsts.baseAddress, counts: counts.baseAddress,
                                                       offsets: offsets.baseAddress, weights: weights.baseAddress,
                                                       precision_bits: Int32(Self.precisionBits))
                        return body(&kernel)
                    }
                }
            }
        }
    }

    /// Keys cubic convolution kernel with a = −0.5.
    static func keysCubic(_ x: Double) -> Double {
        let a = -0.5
        let distance = abs(x)
        if distance < 1 { return ((a + 2) * distance - (a + 3)) * distance * distance + 1 }
        if distance < 2 { return (((distance - 5) * distance + 8) * distance - 4) * a }
        return 0
    }

    /// Rounds a weight to fixed point, half away from zero (truncating toward zero after ±0.5).
    static func toFixedPoint(_ weight: Double) -> Int32 {
        let scaled = weight * Double(1 << precisionBits)
        return Int32(scaled < 0 ? scaled - 0.5 : scaled + 0.5)
    }
}
