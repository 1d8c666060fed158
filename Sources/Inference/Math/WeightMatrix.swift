/// The weight of one `Linear` as the GEMM sees it: `[outFeatures, inFeatures]`, assembled
/// without copying from stored matrices in their file type.
///
/// Load-time rewrites of the weights become a description applied while widening (`fill`):
/// - row stacking (q/k/v, gate/up): several stored matrices form consecutive output rows;
/// - MLP-channel pruning: a part keeps only some of its rows, or all parts only some columns,
///   so pruned channels are never widened or multiplied;
/// - LayerScale folding: output row `o` is multiplied by `rowScale[o]` after widening, the
///   same F32 product the former in-place fold computed.
struct WeightMatrix {
    /// One stored matrix and the rows of it that this matrix uses (nil = all, in order).
    private struct Part {
        let stored: StoredMatrix
        let rowIndices: [Int]?
        var rowCount: Int { rowIndices?.count ?? stored.rows }
    }

    private let parts: [Part]
    /// Logical row at which each part starts.
    private let partStarts: [Int]
    /// Stored columns used, in order (nil = all).
    private let columnIndices: [Int64]?
    /// Per-output-row factor applied after widening (nil = none).
    private let rowScale: [Float]?
    /// Rows of the logical matrix.
    let outFeatures: Int
    /// Columns of the logical matrix.
    let inFeatures: Int

    private init(parts: [Part], columnIndices: [Int64]?, rowScale: [Float]?) {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.stored.columns == parts[0].stored.columns },
                     "stacked weight parts must have the same number of columns")
        self.parts = parts
        var starts: [Int] = [], row = 0
        for part in parts {
            starts.append(row)
            row += part.rowCount
        }
        partStarts = starts
        outFeatures = row
        inFeatures = columnIndices?.count ?? parts[0].stored.columns
        self.columnIndices = columnIndices
        self.rowScale = rowScale
    }

    /// The stored matrix as it is.
    init(_ stored: StoredMatrix) {
        self.init(parts: [Part(stored: stored, rowIndices: nil)], columnIndices: nil, rowScale: nil)
    }

    /// Matrices with the same column count stacked by rows, in order.
    init(stacking matrices: [StoredMatrix]) {
        self.init(parts: matrices.map { Part(stored: $0, rowIndices: nil) }, columnIndices: nil, rowScale: nil)
    }

    /// Rows `keepRows` of each matrix, stacked (pruned gate/up: the kept channels' rows).
    init(stacking matrices: [StoredMatrix], keepRows: [Int]) {
        self.init(parts: matrices.map { Part(stored: $0, rowIndices: keepRows) }, columnIndices: nil, rowScale: nil)
    }

    /// Columns `keepColumns` of `stored` (pruned down projection: the kept channels' columns).
    init(_ stored: StoredMatrix, keepColumns: [Int]) {
        self.init(parts: [Part(stored: stored, rowIndices: nil)], columnIndices: keepColumns.map(Int64.init), rowScale: nil)
    }

    /// This matrix with output row `o` multiplied by `scale[o]` (LayerScale folded in).
    func scalingRows(by scale: [Float]) -> WeightMatrix {
        precondition(scale.count == outFeatures, "row scale must have one factor per output row")
        let combined = rowScale.map { zip($0, scale).map { $0 * $1 } } ?? scale
        return WeightMatrix(parts: parts, columnIndices: columnIndices, rowScale: combined)
    }

    /// Rows `rows` and columns `columns` of the logical matrix in place as F32 with their row
    /// stride, when no widening is needed: aligned F32 storage, one part, no row or column
    /// selection, no row scale. Valid while this matrix is alive.
    func directElements(rows: Range<Int>, columns: Range<Int>) -> (pointer: UnsafePointer<Float>, stride: Int)? {
        guard columnIndices == nil, rowScale == nil, let index = partIndex(row: rows.lowerBound),
              rows.upperBound <= partStarts[index] + parts[index].rowCount, parts[index].rowIndices == nil,
              let elements = parts[index].stored.f32Elements else { return nil }
        let stored = parts[index].stored
        return (elements + (rows.lowerBound - partStarts[index]) * stored.columns + columns.lowerBound, stored.columns)
    }

    /// Writes rows `rows` × columns `columns` of the logical matrix as F32 into `panel`, row-major
    /// with stride `columns.count`. Exact: every element is its stored value widened (and scaled).
    func fill(_ panel: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= outFeatures && columns.lowerBound >= 0
                     && columns.upperBound <= inFeatures, "weight panel out of bounds")
        let width = columns.count
        guard var index = partIndex(row: rows.lowerBound) else { return }
        for row in rows {
            while row >= partStarts[index] + parts[index].rowCount { index += 1 }
            let part = parts[index], local = row - partStarts[index]
            let storedRow = part.rowIndices?[local] ?? local
            let target = panel + (row - rows.lowerBound) * width
            if let columnIndices {
                columnIndices.withUnsafeBufferPointer { all in
                    part.stored.widen(row: storedRow, gathering: UnsafeBufferPointer(rebasing: all[columns]), into: target)
                }
            } else {
                part.stored.widen(row: storedRow, column: columns.lowerBound, count: width, into: target)
            }
            if let rowScale {
                let factor = rowScale[row]
                for i in 0 ..< width { target[i] *= factor }
            }
        }
    }

    /// The part holding logical row `row`, nil when `row` is past the end.
    private func partIndex(row: Int) -> Int? {
        parts.indices.first { row >= partStarts[$0] && row < partStarts[$0] + parts[$0].rowCount }
    }
}
