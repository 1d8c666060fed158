import Inference

/// The chunk real-time chunking continues from: the last prediction's normalised DDIM sample and the
/// time its frame was observed, for the instruction it was predicted for.
struct PreviousChunk {
    /// The final DDIM sample, `[rows · dimension]`, before clipping and un-normalising.
    let sample: [Float]
    /// When its frame was observed (monotonic nanoseconds): row k ran at this time + k·P.
    let observationTime: UInt64
    /// The instruction it was predicted for.
    let instruction: String
    /// Values per row.
    let dimension: Int

    /// The inpainting for a chunk observed at `observationTime`: row k of the new chunk runs when row
    /// k + s of this one was due, s = round(Δt / P). The target is this sample clipped to [−1, 1] (the
    /// range the actions are un-normalised from), shifted by s rows; the weights are RTC's soft mask
    /// over the rows both chunks cover. Nil when they share no row.
    func inpainting(observedAt time: UInt64, continuation: ChunkContinuation) -> ActionInpainting? {
        let rows = sample.count / dimension
        let elapsed = Double(time) - Double(observationTime)
        let shift = max(0, Int((elapsed / Double(continuation.periodNanoseconds)).rounded()))
        let overlap = rows - shift
        guard overlap > 0 else { return nil }
        var target = [Float](repeating: 0, count: sample.count)
        for index in 0 ..< (overlap * dimension) { target[index] = min(max(sample[index + shift * dimension], -1), 1) }
        return ActionInpainting(target: target,
                                weights: ActionInpainting.weights(horizon: rows, frozenRows: continuation.frozenRows, overlapRows: overlap))
    }
}
