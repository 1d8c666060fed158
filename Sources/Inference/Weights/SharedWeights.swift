import Foundation

/// A weight source that hands out each matrix once and the same storage ever after, so that
/// several models built from it (dense and pruned variants in a benchmark) share their
/// weights instead of holding a copy each. Pruning never copies a matrix (it selects rows and
/// columns of the shared one), so a pruned variant costs no weight memory of its own.
///
/// `usage` reports the stored bytes of the distinct matrices one model build asked for: what
/// that model would hold resident on its own.
public final class SharedWeights: WeightSource, @unchecked Sendable {
    private let base: WeightSource
    private let lock = NSLock()
    private var matrices: [String: StoredMatrix] = [:]

    /// Shares the matrices of `base`.
    public init(_ base: WeightSource) { self.base = base }

    public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        try base.read(name, shape: shape, into: destination)
    }

    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        lock.lock()
        defer { lock.unlock() }
        if let cached = matrices[name] {
            guard [cached.rows, cached.columns] == [shape.first ?? 1, shape.dropFirst().reduce(1, *)] else {
                throw WeightError.shapeMismatch(key: name, expected: shape, found: [cached.rows, cached.columns], file: "shared weights")
            }
            return cached
        }
        let matrix = try base.matrix(name, shape: shape)
        matrices[name] = matrix
        return matrix
    }

    /// A view of this source that counts what one model build takes from it.
    public func usage() -> Usage { Usage(shared: self) }

    /// Counts the distinct matrices (and their stored bytes) one model build takes.
    public final class Usage: WeightSource, @unchecked Sendable {
        private let shared: SharedWeights
        private var names: Set<String> = []
        /// Stored bytes of the distinct matrices taken so far.
        public private(set) var matrixBytes = 0

        init(shared: SharedWeights) { self.shared = shared }

        public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
            try shared.read(name, shape: shape, into: destination)
        }

        public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
            let matrix = try shared.matrix(name, shape: shape)
            if names.insert(name).inserted { matrixBytes += matrix.byteCount }
            return matrix
        }
    }
}
