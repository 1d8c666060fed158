import XCTest
@testable import Inference

final class BLASTests: XCTestCase {
    /// A thread count from the command line beyond `Int32` must not trap; OpenBLAS caps it at
    /// its own build limit, which is at least 1.
    func testOutOfRangeThreadCountsAreClampedInsteadOfTrapping() {
        let previous = BLAS.threads
        defer { BLAS.configureThreads(previous) }
        BLAS.configureThreads(Int.max)
        XCTAssertGreaterThanOrEqual(BLAS.threads, 1)
        BLAS.configureThreads(-5)
        XCTAssertEqual(BLAS.threads, 1)
    }

    /// `add` is `y += x` element by element, bitwise (α = 1 in saxpy is exact).
    func testAddIsAPlainElementwiseSum() {
        let x: [Float] = [1.5, -2, 1e-8, 3e7, .leastNonzeroMagnitude]
        var y: [Float] = [0.25, 2, 1, -3e7, 0]
        let expected = zip(x, y).map { $0 + $1 }
        x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { BLAS.add(x.baseAddress!, to: $0.baseAddress!, count: 5) } }
        XCTAssertEqual(y, expected)
    }
}
