extension RGBImage {
    /// Planar float tensor [3, height, width] for a ViT: each sample is divided by 255, then
    /// `(x − mean[c]) / std[c]` is applied per channel (torchvision `ToTensor` + `Normalize`,
    /// evaluated in Float in the same order).
    /// - Precondition: `mean` and `std` hold exactly three values (programmer-supplied constants).
    public func normalizedCHW(mean: [Float], std: [Float]) -> [Float] {
        precondition(mean.count == 3 && std.count == 3, "normalizedCHW needs 3 means and 3 standard deviations")
        let planeSize = width * height
        var output = [Float](repeating: 0, count: 3 * planeSize)
        for index in 0..<planeSize {
            for channel in 0..<3 {
                let unit = Float(pixels[3 * index + channel]) / 255
                output[channel * planeSize + index] = (unit - mean[channel]) / std[channel]
            }
        }
        return output
    }
}
