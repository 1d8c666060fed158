/// Calibration scores of a dense model: what a pruning plan is derived from.
public struct CalibrationResult: Sendable, Equatable {
    /// `I(ℓ)` per layer (paper Eq. 1), averaged over the samples.
    public var layerImportance: [Float]
    /// MLP channel importance per layer, `[layers][intermediate]`.
    public var channelImportance: [[Float]]
    /// Samples the scores were averaged over.
    public var sampleCount: Int

    /// A result from precomputed scores.
    public init(layerImportance: [Float], channelImportance: [[Float]], sampleCount: Int) {
        self.layerImportance = layerImportance
        self.channelImportance = channelImportance
        self.sampleCount = sampleCount
    }

    /// The `count` layers of lowest importance (ties: lower index first), ascending by index.
    public func layersToDrop(count: Int) -> [Int] {
        let order = layerImportance.indices.sorted {
            layerImportance[$0] != layerImportance[$1] ? layerImportance[$0] < layerImportance[$1] : $0 < $1
        }
        return order.prefix(max(0, min(count, layerImportance.count - 1))).sorted()
    }

    /// The `round(ratio · width)` most important channels of `layer` (at least one; ties:
    /// lower index first), ascending. `ratio` is clamped to [0, 1] (NaN counts as 0).
    public func channelsToKeep(layer: Int, ratio: Double) -> [Int] {
        guard channelImportance.indices.contains(layer) else { return [] }
        let scores = channelImportance[layer]
        let share = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        let count = max(1, Int((share * Double(scores.count)).rounded()))
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return order.prefix(count).sorted()
    }

    /// Settings that drop `dropCount` layers and, when `mlpKeepRatio` < 1, keep that share of
    /// the MLP channels of every remaining layer.
    public func settings(dropCount: Int, mlpKeepRatio: Double = 1) -> AccelerationSettings {
        let dropped = layersToDrop(count: dropCount)
        let channels = mlpKeepRatio < 1
            ? layerImportance.indices.filter { !dropped.contains($0) }.map { MLPChannelPlan(layer: $0, keep: channelsToKeep(layer: $0, ratio: mlpKeepRatio)) }
            : []
        return AccelerationSettings(droppedLayers: Set(dropped), mlpKeepRatio: mlpKeepRatio, mlpChannels: channels)
    }
}
