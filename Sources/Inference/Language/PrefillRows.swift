/// Which rows of the input sequence a prefill still has in its attention sequence, and which of
/// those it recomputes. Recomputed rows are held, in order, at the front of the prefill's state
/// buffer; the others are reused (temporal reuse) and only contribute cached keys/values.
struct PrefillRows {
    /// Input-sequence row of every key, ascending (token selection removes rows).
    private(set) var sequence: [Int]
    /// Input-sequence rows that are recomputed, ascending; row `i` of the state buffer holds `active[i]`.
    private(set) var active: [Int]
    /// RoPE position of each input-sequence row.
    let positions: [Int]

    /// Every row in the sequence and recomputed.
    init(positions: [Int]) {
        sequence = Array(positions.indices)
        active = sequence
        self.positions = positions
    }

    /// Whether every row of the sequence is recomputed.
    var allActive: Bool { active.count == sequence.count }
    /// RoPE positions of the recomputed rows.
    var activePositions: [Int] { active.map { positions[$0] } }
    /// RoPE positions of the sequence rows.
    var sequencePositions: [Int] { sequence.map { positions[$0] } }

    /// The key index (place in `sequence`) of each recomputed row.
    var activeKeyIndices: [Int] {
        var indices: [Int] = [], next = 0
        indices.reserveCapacity(active.count)
        for (key, row) in sequence.enumerated() where next < active.count && active[next] == row {
            indices.append(key)
            next += 1
        }
        return indices
    }

    /// Stops recomputing `rows`. Returns the old state-buffer index of each row still recomputed,
    /// ascending: the rows the caller moves to the front of the buffer.
    mutating func deactivate(_ rows: Set<Int>) -> [Int] {
        let remaining = active.indices.filter { !rows.contains(active[$0]) }
        active.removeAll { rows.contains($0) }
        return remaining
    }

    /// Keeps the key indices `kept` (ascending) and recomputes from now on the kept rows that were
    /// recomputed plus `resuming`. Returns, for each new recomputed row, its old index in the state
    /// buffer (nil for a resumed row, whose state the caller supplies).
    mutating func keep(_ kept: [Int], resuming: Set<Int>) -> [Int?] {
        var oldIndex: [Int: Int] = [:]
        for (index, row) in active.enumerated() { oldIndex[row] = index }
        sequence = kept.map { sequence[$0] }
        active = sequence.filter { oldIndex[$0] != nil || resuming.contains($0) }
        return active.map { oldIndex[$0] }
    }
}
