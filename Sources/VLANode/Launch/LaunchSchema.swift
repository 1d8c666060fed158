import Inference
import Logging
import Yams

/// The launch schema: which keys each section allows, their defaults, and how they become a
/// `LaunchConfiguration`.
enum LaunchSchema {
    static let nodeKeys = ["name", "model", "topics", "service", "acceleration", "control", "threads", "log_level", "stats", "record"]
    static let defaultNodeName = "vla_node"

    static func configuration(from node: MappingReader) throws -> LaunchConfiguration {
        guard let model = try node.mapping("model", allowedKeys: ["dir", "unnorm_key"]) else { throw node.missing("model") }
        guard let topics = try node.mapping("topics", allowedKeys: TopicSchema.topicKeys) else { throw node.missing("topics") }
        let topicSettings = try TopicSchema.topics(from: topics)
        return LaunchConfiguration(
            nodeName: try node.string("name") ?? defaultNodeName,
            model: ModelSettings(
                directory: try model.requiredString("dir"),
                unnormKey: try model.requiredString("unnorm_key")),
            topics: topicSettings,
            service: try service(from: node.mapping("service", allowedKeys: ["bind", "connect"]), topics: topicSettings),
            acceleration: try acceleration(from: node.mapping("acceleration", allowedKeys: accelerationKeys,
                                                             removedKeys: removedAccelerationKeys)),
            control: try control(from: node.mapping("control", allowedKeys: ["rate_hz", "chunk_policy", "ensemble", "aggregate"])),
            threads: try node.integer("threads", atLeast: 1),
            logLevel: try node.choice("log_level", options: Logger.Level.allCases.map(\.rawValue))
                .flatMap(Logger.Level.init(rawValue:)) ?? .info,
            stats: try stats(from: node.mapping("stats", allowedKeys: ["interval_s", "window", "warmup_inferences"])),
            record: try record(from: node.mapping("record", allowedKeys: ["path", "compression", "queue_mb"])))
    }

    private static let accelerationKeys = ["prune_plan", "drop_layers", "visual_tokens", "selection_layer", "cache_interval",
                                           "temporal_reuse"]
    private static let temporalReuseKeys = ["enabled", "measure", "threshold", "max_reused_share", "relevant_share",
                                            "relevance_layer", "start_layer", "refresh_interval", "max_changed_share",
                                            "vision_towers"]
    /// Keys of older launch files that are refused with what to use instead.
    private static let removedAccelerationKeys = [
        "mlp_keep_ratio": "the MLP width comes only from a calibrated plan: run `vla-node calibrate --mlp-keep-ratio R … -o plan.json` and set node.acceleration.prune_plan: plan.json",
    ]

    private static func acceleration(from section: MappingReader?) throws -> LaunchAcceleration {
        guard let section else { return LaunchAcceleration() }
        var settings = LaunchAcceleration()
        if section.contains("prune_plan"), section.contains("drop_layers") {
            throw section.conflict("drop_layers", "give either prune_plan or drop_layers, not both")
        }
        if let plan = try section.string("prune_plan") {
            settings.layerPruning = .planFile(plan)
        } else if let layers = try section.parse("drop_layers", expected: "a list of distinct layer indices ≥ 0", layerIndices) {
            settings.layerPruning = .dropLayers(layers)
        }
        settings.visualTokens = try section.integer("visual_tokens", atLeast: 1)
        settings.selectionLayer = try section.integer("selection_layer", atLeast: 0)
        if settings.selectionLayer != nil, settings.visualTokens == nil {
            throw section.conflict("selection_layer", "only used with visual_tokens; set visual_tokens or remove selection_layer")
        }
        settings.cacheInterval = try section.integer("cache_interval", atLeast: 1)
        settings.temporalReuse = try temporalReuse(from: section.mapping("temporal_reuse", allowedKeys: temporalReuseKeys))
        return settings
    }

    /// `node.acceleration.temporal_reuse`: present means on unless `enabled: false`; absent keys keep
    /// `TemporalReuseSettings`' defaults. Ranges that depend on the model are checked at load.
    private static func temporalReuse(from section: MappingReader?) throws -> TemporalReuseSettings? {
        guard let section else { return nil }
        var settings = TemporalReuseSettings()
        settings.enabled = try section.parse("enabled", expected: "true or false") { $0.bool } ?? true
        if let measure = try section.choice("measure", options: TemporalReuseSettings.Measure.allCases.map(\.rawValue)) {
            settings.measure = TemporalReuseSettings.Measure(rawValue: measure) ?? settings.measure
        }
        let share = { (node: Node) in node.float.flatMap { (0 ... 1).contains($0) ? $0 : nil } }
        let threshold = try section.parse("threshold", expected: "a number from 0 to 1 (cosine) or 0 to 255 (mean-absolute)") { node in
            node.float.flatMap { (0 ... (settings.measure == .cosine ? 1 : 255)).contains($0) ? $0 : nil }
        }
        settings.threshold = threshold ?? TemporalReuseSettings.defaultThreshold(settings.measure)
        settings.maxReusedShare = try section.parse("max_reused_share", expected: "a number from 0 to 1", share) ?? settings.maxReusedShare
        settings.relevantShare = try section.parse("relevant_share", expected: "a number from 0 to 1", share) ?? settings.relevantShare
        settings.maxChangedShare = try section.parse("max_changed_share", expected: "a number from 0 to 1", share) ?? settings.maxChangedShare
        settings.relevanceLayer = try section.integer("relevance_layer", atLeast: 0)
        settings.startLayer = try section.integer("start_layer", atLeast: 0) ?? settings.startLayer
        settings.refreshInterval = try section.integer("refresh_interval", atLeast: 1) ?? settings.refreshInterval
        settings.visionTowers = try section.parse("vision_towers", expected: "true or false") { $0.bool } ?? settings.visionTowers
        return settings
    }

    /// `node.service`: the REP endpoint, which no topic may use (a wildcard port `tcp://host:*` binds
    /// a port of its own).
    private static func service(from section: MappingReader?, topics: TopicSettings) throws -> Endpoint? {
        guard let section else { return nil }
        let endpoint = try TopicSchema.endpoint(from: section)
        if !endpoint.address.hasSuffix(":*"), topics.bindings.contains(where: { $0.endpoint.address == endpoint.address }) {
            throw section.conflict(endpoint.mode.rawValue, "\(endpoint.address) is used by a topic; the service needs an endpoint of its own")
        }
        return endpoint
    }

    private static func control(from section: MappingReader?) throws -> ControlSettings {
        let defaultRate = 5.0
        guard let section else { return ControlSettings(rateHz: defaultRate, policy: .chunking) }
        let rate = try section.positiveNumber("rate_hz") ?? defaultRate
        _ = try section.parse("rate_hz", expected: "a rate between 1e-9 and 1e9 Hz") { node in
            node.float.flatMap { FixedRateTicker.rateRange.contains($0) ? $0 : nil }
        }
        let mode = try section.choice("chunk_policy", options: ["chunking", "ensemble", "aggregate", "rtc"]) ?? "chunking"
        let ensemble = try section.mapping("ensemble", allowedKeys: ["alpha", "horizon"])
        let aggregate = try section.mapping("aggregate", allowedKeys: ["function", "new_weight"])
        if ensemble != nil, mode != "ensemble" { throw section.conflict("ensemble", "only allowed with chunk_policy: ensemble") }
        if aggregate != nil, mode != "aggregate" { throw section.conflict("aggregate", "only allowed with chunk_policy: aggregate") }
        switch mode {
        case "ensemble":
            let alpha = try ensemble?.parse("alpha", expected: "a finite number") { $0.float.flatMap { $0.isFinite ? $0 : nil } }
            let horizon = try ensemble?.integer("horizon", atLeast: 1)
            return ControlSettings(rateHz: rate, policy: .ensemble(alpha: alpha ?? 0.1, horizon: horizon ?? 2))
        case "aggregate":
            return ControlSettings(rateHz: rate, policy: .aggregate(try aggregationRule(from: aggregate)))
        case "rtc":
            return ControlSettings(rateHz: rate, policy: .realTimeChunking)
        default:
            return ControlSettings(rateHz: rate, policy: .chunking)
        }
    }

    /// `node.control.aggregate`: `function` (default weighted_average) and, for weighted_average only,
    /// `new_weight` (default 0.7, LeRobot's).
    private static func aggregationRule(from section: MappingReader?) throws -> AggregationRule {
        let function = try section?.choice("function", options: AggregationRule.names) ?? "weighted_average"
        let weight = try section?.parse("new_weight", expected: "a number from 0 to 1") { node in
            node.float.flatMap { (0 ... 1).contains($0) ? $0 : nil }
        }
        switch function {
        case "latest_only", "average":
            if weight != nil, let section { throw section.conflict("new_weight", "only used with function: weighted_average") }
            return function == "average" ? .average : .latestOnly
        default:
            return .weightedAverage(newWeight: weight ?? 0.7)
        }
    }

    private static func stats(from section: MappingReader?) throws -> StatsSettings {
        var settings = StatsSettings()
        guard let section else { return settings }
        settings.intervalSeconds = try section.positiveNumber("interval_s") ?? settings.intervalSeconds
        settings.window = try section.integer("window", atLeast: 1) ?? settings.window
        settings.warmUpInferences = try section.integer("warmup_inferences", atLeast: 0) ?? settings.warmUpInferences
        return settings
    }

    private static func record(from section: MappingReader?) throws -> RecordSettings? {
        guard let section else { return nil }
        let compression = try section.choice("compression", options: RecordCompression.allCases.map(\.rawValue))
            .flatMap(RecordCompression.init(rawValue:)) ?? .zstd
        var settings = RecordSettings(path: try section.requiredString("path"), compression: compression)
        let megabytes = try section.parse("queue_mb", expected: "a number of MiB between 1 and 1048576") { node in
            node.float.flatMap { (1...1_048_576).contains($0) ? $0 : nil }
        }
        if let megabytes { settings.queueBytes = Int(megabytes * 1_048_576) }
        return settings
    }

    private static func layerIndices(_ node: Node) -> [Int]? {
        guard case .sequence(let sequence) = node else { return nil }
        let indices = sequence.compactMap { $0.int.flatMap { $0 >= 0 ? $0 : nil } }
        guard indices.count == sequence.count, Set(indices).count == indices.count else { return nil }
        return indices
    }
}
