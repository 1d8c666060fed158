/// Everything one `CogACTModel.forward` produces.
public struct ActionPrediction: Sendable {
    /// Un-normalised actions `[horizon·actionDim]` (row-major, one action per row).
    public let actions: [Float]
    /// Clipped, gripper-thresholded actions before un-normalisation.
    public let normalizedActions: [Float]
    /// The last DDIM sample, before clipping.
    public let sample: [Float]
    /// The cognition feature fed to the action head.
    public let cognition: [Float]
    /// Milliseconds per stage.
    public let timings: StageTimings
}
