/// The plan of the `aggregate` chunk policy: a chunk whose rows are the merged actions, with how many
/// chunks contributed to each row.
struct AggregatedPlan: Equatable, Sendable {
    /// The merged actions on the newest chunk's time base (its observation time, inference, stamp).
    let chunk: StampedChunk
    /// For each row, the chunks blended into it (1: the newest chunk alone).
    let contributions: [Int]

    /// Merges `chunk` into `previous` (nil: the chunk alone). Row k of the chunk is scheduled at
    /// `chunk.observationTime + k·P`; the plan's row at that time is the one whose scheduled time is
    /// nearest, j = k + round((new observation − plan observation) / P). Where j is a row of the plan
    /// the result is `plan[j] · (1 − w) + chunk[k] · w`; elsewhere it is `chunk[k]`. Plan rows before the
    /// new chunk's first row are in the past and are dropped.
    static func merge(_ chunk: StampedChunk, into previous: AggregatedPlan?, periodNanoseconds: UInt64,
                      rule: AggregationRule) -> AggregatedPlan {
        guard let previous else {
            return AggregatedPlan(chunk: chunk, contributions: Array(repeating: 1, count: chunk.actions.count))
        }
        let offset = Double(chunk.observationTime) - Double(previous.chunk.observationTime)
        let shift = Int((offset / Double(periodNanoseconds)).rounded())
        let weight = Float(rule.newWeight)
        var actions = chunk.actions
        var contributions = Array(repeating: 1, count: actions.count)
        for row in actions.indices {
            let planRow = row + shift
            guard previous.chunk.actions.indices.contains(planRow) else { continue }
            let old = previous.chunk.actions[planRow]
            actions[row] = zip(old, actions[row]).map { $0 * (1 - weight) + $1 * weight }
            contributions[row] = previous.contributions[planRow] + 1
        }
        return AggregatedPlan(
            chunk: StampedChunk(observationTime: chunk.observationTime, actions: actions, instructionSequence: chunk.instructionSequence,
                                inferenceSequence: chunk.inferenceSequence, observationStamp: chunk.observationStamp,
                                episode: chunk.episode),
            contributions: contributions)
    }
}
