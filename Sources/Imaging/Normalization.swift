extension RGBImage {
    /// Planar float tensor [3, height, width] for a ViT: each sample is divided by 255, then
    /// `(x − mean[c]) / std[c]` is applied per channel (torchvision `ToTensor` + `Normalize`,
    /// evaluated in Float in the same order).
    ///
    /// A sample has only 256 values, so each channel's 256 results are evaluated once with
    /// exactly those operations and the image is mapped through the tables: the output is
    /// bit-identical to evaluating every pixel, at one table read per sample.
    /// - Precondition: `mean` and `std` hold exactly three values (programmer-supplied constants).
    public func normalizedCHW(mean: [Float], std: [Float]) -> [Float] {
        precondition(mean.count == 3 && std.count == 3, "normalizedCHW needs 3 means and 3 standard deviations")
        var tables = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            for sample in 0..<256 {
                tables[channel * 256 + sample] = (Float(sample) / 255 - mean[channel]) / std[channel]
            }
        }
        let planeSize = width * height
        return [Float](unsafeUninitializedCapacity: 3 * planeSize) { target, initialized in
            pixels.withUnsafeBufferPointer { source in
                tables.withUnsafeBufferPointer { table in
                    for index in 0..<planeSize {
                        let pixel = 3 * index
                        target[index] = table[Int(source[pixel])]
                        target[planeSize + index] = table[256 + Int(source[pixel + 1])]
                        target[2 * planeSize + index] = table[512 + Int(source[pixel + 2])]
                    }
                }
            }
            initialized = 3 * planeSize
        }
    }
}
