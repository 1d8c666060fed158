import Foundation
import Inference

/// What the node service's `info` says about the loaded model, gathered once at start-up.
public struct ModelDescription: Sendable {
    /// The model directory, as the launch file gives it.
    public var directory: String
    /// SHA-256 of the directory's `config.json` (64 hex digits): which model this is.
    public var configSHA256: String
    /// Seconds the model took to load.
    public var loadSeconds: Double
    /// Actions per chunk.
    public var horizon: Int
    /// Values per action.
    public var actionDimension: Int
    /// The dataset statistics key the actions are un-normalised with.
    public var unnormKey: String
    /// That key's statistics.
    public var statistics: ActionStatistics
    /// Temporal reuse settings (nil: off).
    public var temporalReuse: TemporalReuseSettings?

    /// A description from its parts.
    public init(directory: String, configSHA256: String, loadSeconds: Double, horizon: Int, actionDimension: Int,
                unnormKey: String, statistics: ActionStatistics, temporalReuse: TemporalReuseSettings?) {
        self.directory = directory
        self.configSHA256 = configSHA256
        self.loadSeconds = loadSeconds
        self.horizon = horizon
        self.actionDimension = actionDimension
        self.unnormKey = unnormKey
        self.statistics = statistics
        self.temporalReuse = temporalReuse
    }
}
