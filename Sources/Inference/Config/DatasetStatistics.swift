import Foundation

/// Action normalisation statistics of one dataset (`<key>.action` in dataset_statistics.json).
public struct ActionStatistics: Codable, Equatable, Sendable {
    /// 1st percentile per dimension.
    public var q01: [Float]
    /// 99th percentile per dimension.
    public var q99: [Float]
    /// Dimensions that are un-normalised; absent means all.
    public var mask: [Bool]?

    /// Statistics from explicit values.
    public init(q01: [Float], q99: [Float], mask: [Bool]?) {
        self.q01 = q01
        self.q99 = q99
        self.mask = mask
    }

    /// The mask, defaulting to all true.
    public var effectiveMask: [Bool] { mask ?? Array(repeating: true, count: q01.count) }
}

/// `dataset_statistics.json`: OpenVLA/Octo layout `{ "<unnorm_key>": {"action": {...}, ...} }`.
/// Other keys (proprio, counts) are ignored.
public struct DatasetStatistics: Sendable {
    private struct Dataset: Decodable { var action: ActionStatistics }

    /// Statistics per unnorm key.
    public let datasets: [String: ActionStatistics]

    /// Reads the file and checks that every dataset has `actionDim` entries in q01, q99 and mask.
    public static func load(from url: URL, actionDim: Int) throws -> DatasetStatistics {
        let raw = try JSONFileDecoding.decode([String: Dataset].self, from: url)
        let stats = DatasetStatistics(datasets: raw.mapValues(\.action))
        try stats.validate(actionDim: actionDim, file: url.path)
        return stats
    }

    /// Statistics built in memory (tests, benchmarks).
    public init(datasets: [String: ActionStatistics]) { self.datasets = datasets }

    /// The statistics for `unnormKey`.
    public func action(for unnormKey: String) throws -> ActionStatistics {
        guard let stats = datasets[unnormKey] else {
            throw ConfigError.unknownUnnormKey(unnormKey, available: Array(datasets.keys))
        }
        return stats
    }

    func validate(actionDim: Int, file: String) throws {
        for (key, stats) in datasets {
            let lengths = [stats.q01.count, stats.q99.count, stats.mask?.count ?? actionDim]
            guard lengths.allSatisfy({ $0 == actionDim }) else {
                throw ConfigError.invalidValue(file: file, key: "\(key).action",
                                               detail: "q01/q99/mask have lengths \(lengths), expected action_dim \(actionDim)")
            }
        }
    }
}
