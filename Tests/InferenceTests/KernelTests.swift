import CKernels
import XCTest
@testable import Inference

/// The C kernels against double-precision references computed here, plus the properties the
/// engine relies on: a row's or an element's result does not depend on where it sits.
final class KernelTests: XCTestCase {
    private func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed
        return (0 ..< count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
        }
    }

    /// Every tile shape (rows 1–9, weights 1–7) and k tails (k = 1…19, 256) against a double
    /// reference. fp32 accumulation of k products of magnitude ≤ 1: error ≤ k·ε·Σ|x·w|; 1e-5 of
    /// Σ|x·w| is ~100× the expected bound and far below any indexing mistake.
    func testDotGEMMMatchesADoubleReferenceForEveryTileShapeAndTail() {
        for k in Array(1 ... 19) + [256] {
            for m in 1 ... 9 {
                for n in 1 ... 7 {
                    let ldx = k + 3, ldw = k + 1, ldy = n + 2
                    let x = random(m * ldx, seed: UInt64(k * 100 + m)), w = random(n * ldw, seed: UInt64(k * 7 + n))
                    var y = [Float](repeating: .nan, count: m * ldy)
                    vla_dot_gemm(m, n, k, x, ldx, w, ldw, &y, ldy, 0)
                    for i in 0 ..< m {
                        for j in 0 ..< n {
                            var exact = 0.0, magnitude = 0.0
                            for p in 0 ..< k {
                                exact += Double(x[i * ldx + p]) * Double(w[j * ldw + p])
                                magnitude += abs(Double(x[i * ldx + p]) * Double(w[j * ldw + p]))
                            }
                            XCTAssertEqual(Double(y[i * ldy + j]), exact, accuracy: 1e-5 * magnitude + 1e-30,
                                           "m \(m) n \(n) k \(k) at (\(i), \(j))")
                        }
                        XCTAssertTrue(y[i * ldy + n].isNaN, "wrote past the row's n outputs")
                    }
                }
            }
        }
    }

    /// `accumulate` adds to y exactly as `y + (product)`.
    func testDotGEMMAccumulatesOntoTheOutput() {
        let m = 5, n = 4, k = 37
        let x = random(m * k, seed: 1), w = random(n * k, seed: 2), start = random(m * n, seed: 3)
        var product = [Float](repeating: 0, count: m * n), sum = start
        vla_dot_gemm(m, n, k, x, k, w, k, &product, n, 0)
        vla_dot_gemm(m, n, k, x, k, w, k, &sum, n, 1)
        XCTAssertEqual(sum, zip(start, product).map { $0 + $1 })
    }

    /// A row computed alone, or among others at any position, gives the same bits (temporal
    /// reuse and the cognition-only last layer compute subsets of rows).
    func testDotGEMMRowsDoNotDependOnTheirNeighbours() {
        let m = 34, n = 50, k = 256
        let x = random(m * k, seed: 4), w = random(n * k, seed: 5)
        var all = [Float](repeating: 0, count: m * n)
        vla_dot_gemm(m, n, k, x, k, w, k, &all, n, 0)
        for row in [0, 3, 4, 17, 33] {
            var alone = [Float](repeating: 0, count: n)
            x.withUnsafeBufferPointer { x in vla_dot_gemm(1, n, k, x.baseAddress! + row * k, k, w, k, &alone, n, 0) }
            XCTAssertEqual(alone, Array(all[row * n ..< (row + 1) * n]), "row \(row)")
        }
        var shifted = [Float](repeating: 0, count: 3 * (n - 1))
        w.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { x in vla_dot_gemm(3, n - 1, k, x.baseAddress! + 5 * k, k, w.baseAddress! + k, k, &shifted, n - 1, 0) }
        }
        for i in 0 ..< 3 { XCTAssertEqual(Array(shifted[i * (n - 1) ..< (i + 1) * (n - 1)]), Array(all[(5 + i) * n + 1 ..< (6 + i) * n])) }
    }

    /// The activations against the same fp32 formulas with the transcendental function taken from
    /// glibc's double precision: the result may differ by the libmvec error (≤ 4 ulps of exp, erf
    /// or tanh, carried through `0.5·x·(1 + f)`, whose cancellation for negative x PyTorch's fp32
    /// formula has too) plus a few roundings of the result.
    func testActivationsMatchTheirFormulasWithAccurateTranscendentals() {
        let values = random(1000, seed: 6, scale: 9) + [0, -0.0, 1e-8, -1e-8, 20, -20, 88, -88, 100, -100]
        let c: Float = 0.79788456080286536
        let cases: [(String, ([Float]) -> [Float], (Float) -> (value: Float, inner: Float))] = [
            ("gelu_erf", { var v = $0; vla_gelu_erf(&v, v.count); return v },
             { v in let e = Float(erf(Double(v * 0.70710678118654752))); return (0.5 * v * (1 + e), e) }),
            ("gelu_tanh", { var v = $0; vla_gelu_tanh(&v, v.count); return v },
             { v in let t = Float(tanh(Double(c * (v + 0.044715 * v * v * v)))); return (0.5 * v * (1 + t), t) }),
            ("silu", { var v = $0; vla_silu(&v, v.count); return v },
             { v in let e = Float(exp(Double(-v))); return (v / (1 + e), e) }),
        ]
        for (name, kernel, reference) in cases {
            for (input, got) in zip(values, kernel(values)) {
                let (exact, inner) = reference(input)
                let innerError = 4 * inner.magnitude.ulp
                let bound = name == "silu" ? 8 * exact.magnitude.ulp : 0.5 * input.magnitude * innerError + 4 * exact.magnitude.ulp
                XCTAssertEqual(got, exact, accuracy: bound + .leastNonzeroMagnitude, "\(name)(\(input))")
            }
        }
        let gate = random(37, seed: 7, scale: 6), up = random(37, seed: 8)
        var out = [Float](repeating: 0, count: 37)
        vla_swiglu(gate, up, &out, 37)
        for i in 0 ..< 37 {
            let exact = Double(gate[i]) / (1 + exp(-Double(gate[i]))) * Double(up[i])
            XCTAssertEqual(Double(out[i]), exact, accuracy: 8 * Double(Float(exact).ulp) + 1e-37)
        }
    }

    /// An element's result is the same whether it sits in a full group of 8 or in the padded
    /// tail, and nothing past `count` is written.
    func testActivationsDoNotDependOnPosition() {
        let values = random(17, seed: 9, scale: 4)
        var full = values
        vla_gelu_erf(&full, 17)
        for start in 0 ..< 17 {
            for length in 1 ... 17 - start {
                var part = Array(values[start ..< start + length]) + [42]
                vla_gelu_erf(&part, length)
                XCTAssertEqual(Array(part[0 ..< length]), Array(full[start ..< start + length]))
                XCTAssertEqual(part[length], 42)
            }
        }
    }

    /// Softmax against a double reference; masked keys become exactly 0; large logits do not overflow.
    func testSoftmaxMatchesADoubleReferenceAndZeroesMaskedKeys() {
        for visible in [1, 7, 8, 9, 31, 276] {
            let total = visible + 5
            var row = random(total, seed: UInt64(visible), scale: 30).map { $0 + 1000 }
            let input = row
            vla_softmax(&row, visible, total)
            let maximum = input[0 ..< visible].map(Double.init).max()!
            let exps = input[0 ..< visible].map { exp(Double($0) - maximum) }
            let sum = exps.reduce(0, +)
            for j in 0 ..< visible { XCTAssertEqual(Double(row[j]), exps[j] / sum, accuracy: 1e-6 * exps[j] / sum + 1e-12) }
            XCTAssertEqual(Array(row[visible...]), [Float](repeating: 0, count: 5))
        }
    }
}
