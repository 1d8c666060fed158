/// What one LLaMA prefill leaves behind for the next one under temporal reuse: the keys and values
/// of every sequence row at every executed layer, the state of each row leaving the token-selection
/// layer, and the text→patch relevance read at the relevance layer.
///
/// Rows are indexed by their place in the full input sequence (BOS, patches, text), whatever
/// token selection later drops. An entry is valid only if that row was in the attention sequence
/// of that layer in the last prefill, either recomputed or itself reused. The whole cache is
/// invalidated when the prompt, the layer schedule or the sequence length change.
///
/// Ownership: the cache belongs to one `CogACTPolicy`; its buffers are owned here and every
/// pointer it hands out is used inside the prefill that asked for it.
final class PrefillCache {
    /// What the entries were computed for; a prefill with another identity starts from nothing.
    struct Identity: Equatable {
        let inputIDs: [Int32]
        let schedule: [Int]
        let rows: Int
    }

    private let kvWidth: Int
    private let hidden: Int
    private(set) var identity: Identity?
    private var keyValues: [ScratchBuffer] = []
    private var valid: [[Bool]] = []
    private let states = ScratchBuffer()
    private var statesValid: [Bool] = []
    /// Mean text→patch attention per patch at the relevance layer of the last prefill: nil for a
    /// patch that was not in that layer's sequence (token selection dropped it); empty when that
    /// layer did not run.
    private(set) var relevance: [Double?] = []
    /// Input-sequence rows the last prefill reused at one layer or more.
    private(set) var reusedRows: Set<Int> = []

    init(kvWidth: Int, hidden: Int) {
        self.kvWidth = kvWidth
        self.hidden = hidden
    }

    /// Floats per cached row: the key, then the value.
    var rowWidth: Int { 2 * kvWidth }

    /// Readies the cache for a prefill of `identity`; a different identity drops every entry.
    func begin(_ identity: Identity) {
        if identity != self.identity {
            self.identity = identity
            keyValues = identity.schedule.map { _ in ScratchBuffer() }
            for buffer in keyValues { _ = buffer.reserve(identity.rows * rowWidth) }
            valid = identity.schedule.map { _ in [Bool](repeating: false, count: identity.rows) }
            _ = states.reserve(identity.rows * hidden)
            statesValid = [Bool](repeating: false, count: identity.rows)
        }
        relevance = []
        reusedRows = []
    }

    /// Records that `rows` stopped being recomputed in this prefill.
    func noteReused(_ rows: [Int]) { reusedRows.formUnion(rows) }

    /// Drops every entry (a reset): the next prefill computes everything.
    func clear() {
        identity = nil
        relevance = []
        reusedRows = []
    }

    /// Whether `row` can skip every layer from `position` on: its entries are valid there up to the
    /// last layer, or, when token selection runs at `selection ≥ position`, up to the selection
    /// layer with a stored selection state (it is resumed from that state if selection keeps it and
    /// the later layers hold no entry).
    func canReuse(row: Int, from position: Int, selection: Int?) -> Bool {
        guard identity != nil else { return false }
        if (position ..< valid.count).allSatisfy({ valid[$0][row] }) { return true }
        guard let selection, selection >= position, selection < valid.count, statesValid[row] else { return false }
        return (position ... selection).allSatisfy { valid[$0][row] }
    }

    /// Whether layer `position` holds an entry for `row`.
    func isValid(row: Int, at position: Int) -> Bool { valid[position][row] }

    /// The key then value of `row` at layer `position` (`rowWidth` floats).
    func entry(row: Int, at position: Int) -> UnsafeMutablePointer<Float> {
        keyValues[position].pointer + row * rowWidth
    }

    /// Stores the key (after RoPE) and value of `row` at layer `position`.
    func store(row: Int, at position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        let target = entry(row: row, at: position)
        target.update(from: key, count: kvWidth)
        (target + kvWidth).update(from: value, count: kvWidth)
    }

    /// After layer `position`: exactly the rows of `sequence` hold entries there.
    func setPresent(_ sequence: [Int], at position: Int) {
        var present = [Bool](repeating: false, count: valid[position].count)
        for row in sequence { present[row] = true }
        valid[position] = present
    }

    /// The stored state of `row` leaving the selection layer (`hidden` floats), if any.
    func selectionState(row: Int) -> UnsafeMutablePointer<Float>? {
        statesValid[row] ? states.pointer + row * hidden : nil
    }

    /// Stores the state of `row` leaving the selection layer.
    func storeSelectionState(row: Int, from state: UnsafePointer<Float>) {
        (states.pointer + row * hidden).update(from: state, count: hidden)
        statesValid[row] = true
    }

    /// Adds one head's text→patch attention to `relevance`: the mean over the text query rows of
    /// the probability on each patch key, divided by `heads` (so the heads sum to their mean).
    /// `keys` names the sequence row of every key column, `textQueries` the query rows that are text.
    func accumulateRelevance(probabilities: UnsafeBufferPointer<Float>, keyRows: Int, textQueries: Range<Int>,
                             keys: [Int], patches: Int, heads: Int) {
        if relevance.isEmpty { relevance = [Double?](repeating: nil, count: patches) }
        guard !textQueries.isEmpty else { return }
        let weight = 1 / (Double(textQueries.count) * Double(heads))
        for (column, row) in keys.enumerated() where row >= 1 && row <= patches {
            var sum = 0.0
            for query in textQueries { sum += Double(probabilities[query * keyRows + column]) }
            relevance[row - 1] = (relevance[row - 1] ?? 0) + sum * weight
        }
    }
}
