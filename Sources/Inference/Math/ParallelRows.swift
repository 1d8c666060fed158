import Dispatch

/// Splits element-wise work over rows across the BLAS thread count, so activation passes
/// between GEMMs do not leave cores idle. Work smaller than `minimumElements` stays serial.
enum ParallelRows {
    static let minimumElements = 1 << 16

    /// Calls `body` with disjoint row ranges that together cover `0..<rows`.
    static func run(rows: Int, width: Int, _ body: (Range<Int>) -> Void) {
        let workers = min(BLAS.threads, rows)
        guard workers > 1, rows * width >= minimumElements else { return body(0 ..< rows) }
        let chunk = (rows + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            if start < rows { body(start ..< min(rows, start + chunk)) }
        }
    }
}
