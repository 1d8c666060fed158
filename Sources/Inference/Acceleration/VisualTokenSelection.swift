/// EfficientVLA's task-relevance and diversity-driven visual token selection (paper §3.3,
/// Eqs. 2–5), as pure functions over scores and features so it can be tested by hand.
///
/// Ranking ties are broken deterministically: a higher score first, then the lower token index.
public enum VisualTokenSelection {
    /// The three groups of a selection (token indices, each ascending) and their union.
    public struct Selection: Sendable, Equatable {
        /// The K_key tokens of highest relevance (Eq. 3).
        public var key: [Int]
        /// The next ⌊α·(K − K_key)⌋ tokens by relevance.
        public var task: [Int]
        /// The remaining budget, most different from the key tokens (Eq. 4).
        public var diversity: [Int]
        /// `key ∪ task ∪ diversity`, ascending (original order, Eq. 5).
        public var kept: [Int] { (key + task + diversity).sorted() }
    }

    /// Adds one head's contribution to the relevance `r_i = Σ_{j∈ctx} (1/H) Σ_h A[h, j, vis_i]`
    /// (Eq. 2 read text→visual: under the causal mask the visual rows cannot attend to the
    /// later text, so the text queries' attention to the visual keys is used).
    /// `probabilities` is `[queryRows, keyRows]`; `contextRows` index query rows and
    /// `visualRows` key columns; `relevance` has one entry per visual row.
    public static func accumulateRelevance(probabilities: UnsafeBufferPointer<Float>, keyRows: Int, contextRows: Range<Int>,
                                           visualRows: Range<Int>, heads: Int, into relevance: inout [Double]) {
        let weight = 1 / Double(max(heads, 1))
        for j in contextRows {
            let row = j * keyRows
            for (i, column) in visualRows.enumerated() { relevance[i] += weight * Double(probabilities[row + column]) }
        }
    }

    /// Min-max scaling to [0, 1]; all zeros when every score is equal.
    public static func minMaxNormalized(_ scores: [Double]) -> [Double] {
        guard let low = scores.min(), let high = scores.max(), high > low else { return scores.map { _ in 0 } }
        return scores.map { ($0 - low) / (high - low) }
    }

    /// Selects `budget` of the `scores.count` tokens: K_key = `keyTokens` by relevance, then
    /// K_task = ⌊`taskRatio`·(budget − K_key)⌋ more by relevance, then the rest by
    /// `1 − max_{k∈key} cos(v_j, v_k)` over the tokens left (one pass, not greedy).
    /// `features` holds one row of `width` values per token (zero vectors count as cos 0).
    /// A budget ≥ the token count keeps everything; a budget ≤ K_key keeps the top `budget`.
    public static func select(scores: [Double], features: UnsafeBufferPointer<Float>, width: Int, budget: Int,
                              keyTokens: Int, taskRatio: Double) -> Selection {
        let count = scores.count, budget = max(budget, 0)
        guard budget < count else { return Selection(key: Array(0 ..< count), task: [], diversity: []) }
        let byRelevance = ranked(scores)
        let keyCount = min(keyTokens, budget)
        let key = Array(byRelevance.prefix(keyCount))
        let augment = budget - keyCount
        let taskCount = Int((taskRatio * Double(augment)).rounded(.down))
        let task = Array(byRelevance.dropFirst(keyCount).prefix(taskCount))
        let remaining = Array(byRelevance.dropFirst(keyCount + taskCount))
        let diversityScores = remaining.map { j in 1 - (key.map { cosine(features, j, $0, width: width) }.max() ?? 0) }
        let diversity = ranked(diversityScores).prefix(augment - taskCount).map { remaining[$0] }
        return Selection(key: key.sorted(), task: task.sorted(), diversity: diversity.sorted())
    }

    /// Indices of `scores`, highest first, ties by lower index.
    static func ranked(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// Cosine similarity of rows `a` and `b`, in Float64; 0 when either row is zero.
    static func cosine(_ features: UnsafeBufferPointer<Float>, _ a: Int, _ b: Int, width: Int) -> Double {
        guard let base = features.baseAddress else { return 0 }
        return Cosine.similarity(base + a * width, base + b * width, width: width)
    }
}
