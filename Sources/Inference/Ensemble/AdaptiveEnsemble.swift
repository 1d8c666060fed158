import Foundation

/// CogACT's adaptive action ensemble (AAE, CogACT paper §3.4; `sim_cogact/adaptive_ensemble.py`).
///
/// The ensemble keeps the last `horizon` (K) un-normalised action chunks, one per control step.
/// For the current step it gathers row `k` of the chunk predicted `k` steps ago (k = 0 … count−1),
/// takes the newest chunk's row 0 as the reference `r`, and returns
///
///     â = Σ_k w_k · a_k,   w_k = exp(α · cos(a_k, r)) / Σ_j exp(α · cos(a_j, r)),
///     cos(a, r) = a·r / (‖a‖·‖r‖ + 1e-7)
///
/// The cosine runs over every action dimension, the gripper included, exactly as in CogACT.
/// Arithmetic is done in `Double`; inputs and the result are `Float`.
public struct AdaptiveEnsemble: Sendable {
    /// The sharpness α of the similarity weighting (CogACT uses 0.1; 0 gives a plain average).
    public let alpha: Double
    /// The number of chunks K kept, the newest included (CogACT: 2 for the Google robot, 7 for WidowX).
    public let horizon: Int
    /// The width of one action (7 for CogACT: xyz, roll/pitch/yaw, gripper).
    public let actionDimension: Int
    /// The retained chunks, oldest first, at most `horizon` of them.
    public private(set) var history: [[[Float]]] = []

    /// Creates an empty ensemble.
    /// - Throws: `AdaptiveEnsembleError.invalidAlpha` for a non-finite α,
    ///   `.invalidHorizon` for K < 1, `.invalidActionDimension` for a width < 1.
    public init(alpha: Double, horizon: Int, actionDimension: Int = 7) throws {
        guard alpha.isFinite else { throw AdaptiveEnsembleError.invalidAlpha(alpha) }
        guard horizon >= 1 else { throw AdaptiveEnsembleError.invalidHorizon(horizon) }
        guard actionDimension >= 1 else { throw AdaptiveEnsembleError.invalidActionDimension(actionDimension) }
        self.alpha = alpha
        self.horizon = horizon
        self.actionDimension = actionDimension
    }

    /// Appends the chunk predicted for the current step (evicting the oldest beyond K) and returns the
    /// ensembled action for this step.
    /// - Parameter chunk: rows of `actionDimension` finite values; at least `horizon` rows, because the
    ///   chunk will later contribute row `horizon − 1`.
    /// - Throws: `AdaptiveEnsembleError` if the chunk is too short, has a row of the wrong width or a
    ///   non-finite value. A rejected chunk leaves the history unchanged.
    public mutating func ensemble(adding chunk: [[Float]]) throws -> [Float] {
        guard chunk.count >= horizon else {
            throw AdaptiveEnsembleError.chunkTooShort(rows: chunk.count, required: horizon)
        }
        try Self.validate(rows: chunk, actionDimension: actionDimension)
        history.append(chunk)
        if history.count > horizon { history.removeFirst(history.count - horizon) }
        let newestIndex = history.count - 1
        let predictions = history.enumerated().map { position, past in past[newestIndex - position] }
        return Self.weightedAverage(predictions, alpha: alpha)
    }

    /// Forgets every retained chunk (call when the instruction changes or the episode restarts).
    public mutating func reset() {
        history.removeAll()
    }

    /// Combines several predictions of the same control step, oldest first; the last one is the
    /// reference the cosine similarities are taken against. This is the stateless core of the AAE,
    /// for callers whose chunks arrive at irregular steps (the node's action scheduler).
    /// - Throws: `AdaptiveEnsembleError` for an empty list, a non-finite α, rows of unequal width or a
    ///   non-finite value.
    public static func combine(_ predictions: [[Float]], alpha: Double) throws -> [Float] {
        guard alpha.isFinite else { throw AdaptiveEnsembleError.invalidAlpha(alpha) }
        guard let first = predictions.first else { throw AdaptiveEnsembleError.noPredictions }
        guard !first.isEmpty else { throw AdaptiveEnsembleError.invalidActionDimension(0) }
        try validate(rows: predictions, actionDimension: first.count)
        return weightedAverage(predictions, alpha: alpha)
    }

    private static func validate(rows: [[Float]], actionDimension: Int) throws {
        for (index, row) in rows.enumerated() {
            guard row.count == actionDimension else {
                throw AdaptiveEnsembleError.wrongActionWidth(row: index, expected: actionDimension, found: row.count)
            }
            guard row.allSatisfy(\.isFinite) else { throw AdaptiveEnsembleError.nonFiniteValue(row: index) }
        }
    }

    /// The AAE weighting over validated, equal-width, non-empty rows.
    private static func weightedAverage(_ predictions: [[Float]], alpha: Double) -> [Float] {
        let rows = predictions.map { $0.map(Double.init) }
        let reference = rows[rows.count - 1]
        let referenceNorm = norm(reference)
        let logits = rows.map { row in
            alpha * (dot(row, reference) / (norm(row) * referenceNorm + 1e-7))
        }
        // Subtracting the largest logit leaves the normalised weights unchanged and avoids overflow.
        let largest = logits.max() ?? 0
        let unnormalised = logits.map { Foundation.exp($0 - largest) }
        let total = unnormalised.reduce(0, +)
        var result = [Double](repeating: 0, count: reference.count)
        for (row, weight) in zip(rows, unnormalised) {
            for index in result.indices { result[index] += weight / total * row[index] }
        }
        return result.map(Float.init)
    }

    private static func dot(_ lhs: [Double], _ rhs: [Double]) -> Double {
        zip(lhs, rhs).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private static func norm(_ vector: [Double]) -> Double {
        dot(vector, vector).squareRoot()
    }
}

/// Why the adaptive ensemble rejected its configuration or an input.
public enum AdaptiveEnsembleError: Error, Equatable, CustomStringConvertible {
    /// α must be a finite number.
    case invalidAlpha(Double)
    /// The horizon K must be at least 1.
    case invalidHorizon(Int)
    /// The action width must be at least 1.
    case invalidActionDimension(Int)
    /// The chunk has fewer rows than the horizon needs.
    case chunkTooShort(rows: Int, required: Int)
    /// A row's width differs from the action dimension.
    case wrongActionWidth(row: Int, expected: Int, found: Int)
    /// A row holds NaN or ±infinity.
    case nonFiniteValue(row: Int)
    /// `combine` was called with no predictions.
    case noPredictions

    public var description: String {
        switch self {
        case .invalidAlpha(let alpha):
            return "adaptive ensemble: alpha must be a finite number, found \(alpha)"
        case .invalidHorizon(let horizon):
            return "adaptive ensemble: horizon must be at least 1 chunk, found \(horizon)"
        case .invalidActionDimension(let width):
            return "adaptive ensemble: the action dimension must be at least 1, found \(width)"
        case .chunkTooShort(let rows, let required):
            return "adaptive ensemble: a chunk needs at least \(required) actions (the horizon), found \(rows)"
        case .wrongActionWidth(let row, let expected, let found):
            return "adaptive ensemble: action \(row) has \(found) values, expected \(expected)"
        case .nonFiniteValue(let row):
            return "adaptive ensemble: action \(row) contains NaN or infinity"
        case .noPredictions:
            return "adaptive ensemble: nothing to combine (no predictions cover this step)"
        }
    }
}
