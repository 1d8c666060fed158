import Foundation

/// The JSON file `vla-node calibrate` writes: layer scores, the layers to drop, the MLP
/// channels to keep per layer, and the data the scores came from.
public struct PruningPlan: Codable, Equatable, Sendable {
    /// Where the calibration scores came from.
    public struct Provenance: Codable, Equatable, Sendable {
        /// Model directory that was calibrated.
        public var modelDirectory: String
        /// MCAP bag the frames came from, when there was one.
        public var bag: String?
        /// MCAP bags the frames came from, when there were several.
        public var bags: [String]?
        /// Samples directory the frames came from, if any.
        public var samplesDirectory: String?
        /// Number of (frame, instruction) samples.
        public var sampleCount: Int
        /// Distinct instructions used.
        public var instructions: [String]
        /// ISO 8601 creation time.
        public var date: String

        /// A provenance record.
        public init(modelDirectory: String, bag: String? = nil, bags: [String]? = nil, samplesDirectory: String? = nil,
                    sampleCount: Int, instructions: [String], date: String) {
            self.modelDirectory = modelDirectory
            self.bag = bag
            self.bags = bags
            self.samplesDirectory = samplesDirectory
            self.sampleCount = sampleCount
            self.instructions = instructions
            self.date = date
        }
    }

    /// `I(ℓ)` of every layer of the dense model.
    public var layerImportance: [Float]
    /// Layers to drop (the lowest scores), ascending.
    public var droppedLayers: [Int]
    /// Kept share of MLP channels (1 = full width).
    public var mlpKeepRatio: Double
    /// Kept MLP channels of every layer that stays (empty when the ratio is 1).
    public var mlpChannels: [MLPChannelPlan]
    /// The calibration data.
    public var provenance: Provenance

    /// A plan dropping `dropCount` layers with MLP keep ratio `mlpKeepRatio`, from `result`.
    public init(result: CalibrationResult, dropCount: Int, mlpKeepRatio: Double, provenance: Provenance) {
        let settings = result.settings(dropCount: dropCount, mlpKeepRatio: mlpKeepRatio)
        layerImportance = result.layerImportance
        droppedLayers = settings.droppedLayers.sorted()
        self.mlpKeepRatio = mlpKeepRatio
        mlpChannels = settings.mlpChannels
        self.provenance = provenance
    }

    /// The load-time settings of the plan (dropped layers and MLP channels); runtime switches
    /// stay at their defaults.
    public var settings: AccelerationSettings {
        AccelerationSettings(droppedLayers: Set(droppedLayers), mlpKeepRatio: mlpKeepRatio, mlpChannels: mlpChannels)
    }

    /// Reads a plan; throws `ConfigError` naming the file on a missing or malformed file.
    public static func load(from url: URL) throws -> PruningPlan {
        try JSONFileDecoding.decode(PruningPlan.self, from: url)
    }

    /// Writes the plan as pretty-printed JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url)
    }
}
