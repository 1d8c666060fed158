/// Cosine similarity of two float rows, accumulated in Float64.
enum Cosine {
    /// `a·b / (‖a‖‖b‖)` over `width` values; 0 when either row is zero.
    static func similarity(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, width: Int) -> Double {
        var dot = 0.0, aa = 0.0, bb = 0.0
        for c in 0 ..< width {
            let x = Double(a[c]), y = Double(b[c])
            dot += x * y
            aa += x * x
            bb += y * y
        }
        let norm = (aa * bb).squareRoot()
        return norm > 0 ? dot / norm : 0
    }
}
