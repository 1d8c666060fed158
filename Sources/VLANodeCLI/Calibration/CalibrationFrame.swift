import Imaging

/// One calibration input before preprocessing.
struct CalibrationFrame {
    let image: RGBImage
    let instruction: String
}

/// Evenly spaced indices: `limit` of `count` (all when `count ≤ limit`).
func evenlySpaced(count: Int, limit: Int) -> [Int] {
    guard count > limit else { return Array(0 ..< count) }
    return (0 ..< limit).map { $0 * count / limit }
}
