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

    /// Horizontal pass: every output column mixes a window of input columns of the same row.
    private static func resampleRows(_ source: [UInt8], width: Int, height: Int, kernel: FixedPointKernel) -> [UInt8] {
        let outputWidth = kernel.windows.count
        var output = [UInt8](repeating: 0, count: outputWidth * height * 3)
        source.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { result in
                kernel.weights.withUnsafeBufferPointer { weights in
                    for row in 0..<height {
                        let rowStart = row * width * 3
                        for (column, window) in kernel.windows.enumerated() {
                            var red = FixedPointKernel.half, green = FixedPointKernel.half, blue = FixedPointKernel.half
                            for tap in 0..<window.count {
                                let weight = weights[window.weightOffset + tap]
                                let pixel = rowStart + (window.first + tap) * 3
                                red &+= Int32(input[pixel]) &* weight
                                green &+= Int32(input[pixel + 1]) &* weight
                                blue &+= Int32(input[pixel + 2]) &* weight
                            }
                            let target = (row * outputWidth + column) * 3
                            result[target] = FixedPointKernel.clampToByte(red)
                            result[target + 1] = FixedPointKernel.clampToByte(green)
                            result[target + 2] = FixedPointKernel.clampToByte(blue)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Vertical pass: every output row mixes a window of input rows. The window's rows are added
    /// one after the other into a row of integer sums (exact, so the order does not matter), which
    /// reads the input a whole row at a time.
    private static func resampleColumns(_ source: [UInt8], width: Int, kernel: FixedPointKernel) -> [UInt8] {
        let rowLength = width * 3
        var output = [UInt8](repeating: 0, count: kernel.windows.count * rowLength)
        var sums = [Int32](repeating: 0, count: rowLength)
        source.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { result in
                kernel.weights.withUnsafeBufferPointer { weights in
                    sums.withUnsafeMutableBufferPointer { sum in
                        for (row, window) in kernel.windows.enumerated() {
                            for sample in 0..<rowLength { sum[sample] = FixedPointKernel.half }
                            for tap in 0..<window.count {
                                let weight = weights[window.weightOffset + tap], line = (window.first + tap) * rowLength
                                for sample in 0..<rowLength { sum[sample] &+= Int32(input[line + sample]) &* weight }
                            }
                            for sample in 0..<rowLength { result[row * rowLength + sample] = FixedPointKernel.clampToByte(sum[sample]) }
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Per-output-position input windows and fixed-point weights along one axis, computed as Pillow
/// does: double-precision Keys weights normalised to sum 1, then rounded half away from zero to
/// `precisionBits` fractional bits. Sums are 32-bit like Pillow's: 8 bits of pixel and 2 of headroom
/// for the negative lobes leave 22 for the weights, so no sum can overflow.
struct FixedPointKernel {
    /// The input span feeding one output position.
    struct Window {
        /// First input index.
        let first: Int
        /// Number of input indices.
        let count: Int
        /// Offset of this window's weights in `weights`.
        let weightOffset: Int
    }

    /// Fractional bits of the weights: 32 − 8 (pixel) − 2 (headroom for negative lobes).
    static let precisionBits = 22
    /// Rounding offset added before the final shift (one half in fixed point).
    static let half: Int32 = 1 << (precisionBits - 1)
    /// Support radius of the Keys cubic filter at scale 1.
    private static let cubicSupport = 2.0

    let windows: [Window]
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = Self.cubicSupport * filterScale
        let inverseFilterScale = 1.0 / filterScale
        var windows: [Window] = []
        var weights: [Int32] = []
        windows.reserveCapacity(outputSize)
        for position in 0..<outputSize {
            let center = (Double(position) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), inputSize)
            let taps = (first..<max(end, first)).map { Self.keysCubic((Double($0) - center + 0.5) * inverseFilterScale) }
            let total = taps.reduce(0, +)
            windows.append(Window(first: first, count: taps.count, weightOffset: weights.count))
            weights += taps.map { Self.toFixedPoint(total == 0 ? $0 : $0 / total) }
        }
        self.windows = windows
        self.weights = weights
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

    /// Drops the fractional bits (flooring) and clamps to 0…255.
    static func clampToByte(_ accumulator: Int32) -> UInt8 {
        UInt8(clamping: accumulator >> precisionBits)
    }
}
