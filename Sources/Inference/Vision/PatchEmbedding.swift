/// Conv2d(3 → width, kernel = stride = patch) as im2col + one GEMM.
///
/// im2col row `p` (row-major patch order) holds the patch's pixels in (channel, y, x) order,
/// which is the flattening of the PyTorch conv weight `[width, 3, patch, patch]`.
struct PatchEmbedding {
    let projection: Linear
    let imageSize: Int
    let patchSize: Int
    static let channels = 3

    init(_ source: WeightSource, prefix: String, width: Int, imageSize: Int, patchSize: Int) throws {
        // The conv weight [width, 3, p, p] is read as the [width, 3·p·p] matrix of the im2col GEMM.
        let weight = try source.matrix("\(prefix).proj.weight", shape: [width, Self.channels, patchSize, patchSize])
        projection = Linear(weight: WeightMatrix(weight), bias: try source.tensor("\(prefix).proj.bias", shape: [width]))
        self.imageSize = imageSize
        self.patchSize = patchSize
    }

    var grid: Int { imageSize / patchSize }
    var patchCount: Int { grid * grid }
    var columnWidth: Int { Self.channels * patchSize * patchSize }

    /// Embeds CHW `pixels` `[3, size, size]` into `out` rows `[patchCount, width]` with stride `ldo`.
    func apply(pixels: UnsafePointer<Float>, columns: ScratchBuffer, into out: UnsafeMutablePointer<Float>, ldo: Int) {
        let cols = columns.reserve(patchCount * columnWidth)
        let plane = imageSize * imageSize
        for py in 0 ..< grid {
            for px in 0 ..< grid {
                var target = cols + (py * grid + px) * columnWidth
                for c in 0 ..< Self.channels {
                    for ky in 0 ..< patchSize {
                        let source = pixels + c * plane + (py * patchSize + ky) * imageSize + px * patchSize
                        target.update(from: source, count: patchSize)
                        target += patchSize
                    }
                }
            }
        }
        projection.apply(cols, rows: patchCount, into: out, ldy: ldo)
    }
}
