import Imaging

/// Patch-by-patch comparison of two frames of the same size on the vision towers' patch grid
/// (row-major, the order of the visual tokens).
enum PatchSimilarity {
    /// One score per patch of `current` against `reference` (RGB bytes of a frame of the same
    /// size) under `measure`: the cosine of the raw RGB values (1 when both patches are black, 0
    /// when only one is), or the mean absolute difference in 8-bit levels. The frame must be square
    /// with a side that is a multiple of `patchSize`.
    static func scores(_ current: RGBImage, _ reference: [UInt8], patchSize: Int,
                       measure: TemporalReuseSettings.Measure) -> [Double] {
        let grid = current.width / patchSize, width = current.width
        var scores = [Double](repeating: 0, count: grid * grid)
        current.pixels.withUnsafeBufferPointer { a in
            reference.withUnsafeBufferPointer { b in
                for patch in 0 ..< grid * grid {
                    var dot = 0.0, normA = 0.0, normB = 0.0, absolute = 0.0
                    for span in byteRanges(of: patch, grid: grid, width: width, patchSize: patchSize) {
                        for i in span {
                            let x = Double(a[i]), r = Double(b[i])
                            dot += x * r
                            normA += x * x
                            normB += r * r
                            absolute += abs(x - r)
                        }
                    }
                    switch measure {
                    case .cosine:
                        scores[patch] = normA == 0 && normB == 0 ? 1 : (normA == 0 || normB == 0 ? 0 : min(1, dot / (normA * normB).squareRoot()))
                    case .meanAbsolute:
                        scores[patch] = absolute / Double(patchSize * patchSize * 3)
                    }
                }
            }
        }
        return scores
    }

    /// Whether `score` counts as unchanged: a cosine above `threshold`, or a mean difference below
    /// it. Strict, so a cosine threshold of 1 (or a difference of 0) makes nothing static.
    static func isStatic(_ score: Double, measure: TemporalReuseSettings.Measure, threshold: Double) -> Bool {
        measure == .cosine ? score > threshold : score < threshold
    }

    /// Copies the patches in `patches` of `source` into `pixels` (RGB bytes of a frame of the same size).
    static func copy(_ patches: [Int], from source: RGBImage, into pixels: inout [UInt8], patchSize: Int) {
        let grid = source.width / patchSize, width = source.width
        for patch in patches {
            for span in byteRanges(of: patch, grid: grid, width: width, patchSize: patchSize) {
                pixels.replaceSubrange(span, with: source.pixels[span])
            }
        }
    }

    /// The RGB byte ranges of `patch` in a frame `width` pixels wide, one per pixel row of the patch.
    private static func byteRanges(of patch: Int, grid: Int, width: Int, patchSize: Int) -> [Range<Int>] {
        let top = (patch / grid) * patchSize, left = (patch % grid) * patchSize
        return (top ..< top + patchSize).map { y in
            let start = (y * width + left) * 3
            return start ..< start + patchSize * 3
        }
    }
}
