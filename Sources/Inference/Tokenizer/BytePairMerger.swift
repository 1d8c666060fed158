/// SentencePiece's BPE merge loop over a sequence of initial symbols (UTF-8 characters or frozen
/// user-defined pieces): repeatedly merge the adjacent pair whose concatenation is the
/// highest-scoring vocabulary piece, the leftmost pair on ties, until no pair is in the vocabulary.
struct BytePairMerger {
    /// A symbol: a byte range of the normalised input, linked to its live neighbours.
    private struct Symbol {
        var start: Int
        var length: Int
        var previous: Int
        var next: Int
        let frozen: Bool
    }

    /// A candidate merge of `left` and its right neighbour, valid while both still span `length` bytes.
    private struct Candidate {
        let score: Float
        let left: Int
        let right: Int
        let length: Int

        /// Pops first: higher score, then smaller left index.
        func precedes(_ other: Candidate) -> Bool {
            score != other.score ? score > other.score : left < other.left
        }
    }

    /// Looks up the score of a mergeable piece, nil when the bytes are not in the vocabulary.
    let score: (ArraySlice<UInt8>) -> Float?

    /// Merges `initial` (consecutive byte ranges of `text`, each with a frozen flag) and returns
    /// the final symbol ranges in order.
    func merge(_ text: [UInt8], initial: [(range: Range<Int>, frozen: Bool)]) -> [Range<Int>] {
        var symbols = initial.enumerated().map { index, item in
            Symbol(start: item.range.lowerBound, length: item.range.count, previous: index - 1,
                   next: index + 1 < initial.count ? index + 1 : -1, frozen: item.frozen)
        }
        var queue: [Candidate] = []

        func consider(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0, !symbols[left].frozen, !symbols[right].frozen else { return }
            let start = symbols[left].start
            let length = symbols[left].length + symbols[right].length
            guard let pieceScore = score(text[start..<(start + length)]) else { return }
            push(Candidate(score: pieceScore, left: left, right: right, length: length), into: &queue)
        }

        for index in symbols.indices.dropLast() { consider(index, index + 1) }
        while let best = pop(from: &queue) {
            let left = symbols[best.left], right = symbols[best.right]
            guard left.length > 0, right.length > 0, left.length + right.length == best.length else { continue }
            symbols[best.left].length = best.length
            symbols[best.left].next = right.next
            if right.next >= 0 { symbols[right.next].previous = best.left }
            symbols[best.right].length = 0
            consider(symbols[best.left].previous, best.left)
            consider(best.left, symbols[best.left].next)
        }

        var ranges: [Range<Int>] = []
        var index = symbols.isEmpty ? -1 : 0
        while index >= 0 {
            ranges.append(symbols[index].start..<(symbols[index].start + symbols[index].length))
            index = symbols[index].next
        }
        return ranges
    }

    private func push(_ candidate: Candidate, into heap: inout [Candidate]) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop(from heap: inout [Candidate]) -> Candidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            guard first != parent else { return top }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
