extension RGBImage {
    /// Planar float tensor [3, height, width] for a ViT: each sample is divided by 255, then
    /// `(x − mean[c]) / std[c]` is applied per channel (torchvision `ToTensor` + `Normalize`,
    /// evaluated in Float in the same order).
    /// - Precondition: `mean` and `std` hold exactly three values (programmer-supplied constants).
    public func normalizedCHW(mean: [Float], std: [Float]) -> [Float] {
        precondition(mean.count == 3 && std.count == 3, "normalizedCHW needs 3 means and 3 standard deviations")
        let planeSize = width * height
        var output = [Float](repeating: 0, count: 3 * planeSize)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for channel in 0..<3 {
                    let channelMean = mean[channel], channelStd = std[channel], plane = channel * planeSize
                    for index in 0..<planeSize {
                        let unit = Float(source[3 * index + channel]) / 255
                        target[plane + index] = (unit - channelMean) / channelStd
                    }
                }
            }
        }
        return output
    }
}
