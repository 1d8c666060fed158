/// One action chunk predicted by `CogACTPolicy`, with what it cost.
public struct PolicyPrediction: Sendable {
    /// Un-normalised actions `[horizon·actionDim]`, row-major.
    public let actions: [Float]
    /// Clipped, gripper-thresholded actions before un-normalisation.
    public let normalizedActions: [Float]
    /// The last DDIM sample, before clipping.
    public let sample: [Float]
    /// The cognition feature that conditioned the action head.
    public let cognition: [Float]
    /// The token ids of the prompt.
    public let inputIDs: [Int32]
    /// Milliseconds spent resizing and normalising the frame (0 when vision features were reused).
    public let preprocessMilliseconds: Double
    /// Milliseconds per model stage (vision and projector are 0 when their features were reused).
    public let timings: StageTimings
    /// Whether the frame equalled the previous one, so its vision features were reused.
    public let reusedVisionFeatures: Bool
    /// Values per action (the row width of `actions`, `normalizedActions` and `sample`).
    public let actionDimension: Int
    /// The work this inference did (vision and projector 0 when their features were reused, the
    /// language model counted over the rows it recomputed).
    public let flops: FLOPCount
    /// What temporal reuse did (nil when it is off).
    public let temporalReuse: TemporalReuseReport?

    /// `values` (`actions`, `normalizedActions` or `sample`) as one array per action.
    public func rows(_ values: [Float]) -> [[Float]] {
        stride(from: 0, to: values.count, by: actionDimension).map { Array(values[$0 ..< min($0 + actionDimension, values.count)]) }
    }

    /// Milliseconds from the frame to the actions.
    public var totalMilliseconds: Double { preprocessMilliseconds + timings.total }
}
