import Logging
import Inference
import XCTest
@testable import VLANode

final class LaunchLoaderTests: XCTestCase {
    private let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The smallest valid file: the two required model keys and an endpoint per topic.
    private func minimal(control: String = "", acceleration: String = "") -> String {
        """
        node:
          model: {dir: models/tiny, unnorm_key: fixture_robot}
          topics:
            camera: {connect: tcp://127.0.0.1:5555}
            instruction: {connect: tcp://127.0.0.1:5556}
            action_chunk: {bind: tcp://*:6000}
            latency: {bind: tcp://*:6000}
        \(control)
        \(acceleration)
        """
    }

    private func error(_ yaml: String, overrides: [String] = [], file: StaticString = #filePath,
                       line: UInt = #line) -> LaunchError? {
        do {
            _ = try LaunchLoader.parse(yaml: yaml, sourceName: "launch.yaml", overrides: overrides)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch {
            return error as? LaunchError
        }
    }

    func testMinimalFileGetsDocumentedDefaults() throws {
        let config = try LaunchLoader.parse(yaml: minimal(), sourceName: "launch.yaml")
        XCTAssertEqual(config.nodeName, "vla_node")
        XCTAssertEqual(config.model, ModelSettings(directory: "models/tiny", unnormKey: "fixture_robot"))
        XCTAssertEqual(config.topics.camera, TopicBinding(topic: "/camera/image_raw", endpoint: Endpoint(mode: .connect, address: "tcp://127.0.0.1:5555")))
        XCTAssertEqual(config.topics.cameraType, .image)
        XCTAssertEqual(config.topics.instruction.topic, "/instruction")
        XCTAssertEqual(config.topics.actionChunk, TopicBinding(topic: "/vla/action_chunk", endpoint: Endpoint(mode: .bind, address: "tcp://*:6000")))
        XCTAssertEqual(config.topics.latency.topic, "/vla/latency")
        XCTAssertEqual(config.topics.reset, TopicBinding(topic: "/vla/reset", endpoint: Endpoint(mode: .connect, address: "tcp://127.0.0.1:5556")),
                       "the reset topic rides on the instruction's endpoint")
        XCTAssertNil(config.service)
        XCTAssertEqual(config.acceleration, LaunchAcceleration())
        XCTAssertEqual(config.control, ControlSettings(rateHz: 5, policy: .chunking))
        XCTAssertNil(config.threads)
        XCTAssertEqual(config.logLevel, .info)
        XCTAssertEqual(config.stats, StatsSettings(intervalSeconds: 10, window: 200, warmUpInferences: 1))
        XCTAssertNil(config.record)
    }

    func testShippedDemoLaunchFile() throws {
        let config = try LaunchLoader.load(path: packageRoot.appendingPathComponent("launch/demo.yaml").path)
        XCTAssertEqual(config.model, ModelSettings(directory: "demo/model", unnormKey: "demo_robot"))
        // The unnorm key must be one of the demo model's dataset statistics.
        let statistics = try JSONSerialization.jsonObject(
            with: Data(contentsOf: packageRoot.appendingPathComponent("demo/model/dataset_statistics.json"))) as? [String: Any]
        XCTAssertNotNil(statistics?[config.model.unnormKey])
        // The demo records its run under out/, never over the committed input bag.
        XCTAssertEqual(config.record, RecordSettings(path: "out/demo-run.mcap", compression: .zstd))
        // `vla-node replay … --bind tcp://127.0.0.1:5555` binds the inputs; the node binds its outputs.
        let replay = Endpoint(mode: .connect, address: "tcp://127.0.0.1:5555")
        XCTAssertEqual(config.topics.camera.endpoint, replay)
        XCTAssertEqual(config.topics.instruction.endpoint, replay)
        let outputs = Endpoint(mode: .bind, address: "tcp://127.0.0.1:5557")
        XCTAssertEqual(config.topics.actionChunk.endpoint, outputs)
        XCTAssertEqual(config.topics.latency.endpoint, outputs)
    }

    func testShippedCogACTBaseExampleLaunchFile() throws {
        let config = try LaunchLoader.load(path: packageRoot.appendingPathComponent("launch/base.example.yaml").path)
        XCTAssertEqual(config.acceleration, LaunchAcceleration(
            layerPruning: .planFile("/opt/models/cogact-base/prune-plan.json"), visualTokens: 56, cacheInterval: 5))
        XCTAssertEqual(config.control, ControlSettings(rateHz: 3, policy: .ensemble(alpha: 0.1, horizon: 2)))
        XCTAssertEqual(config.topics.cameraType, .compressedImage)
        XCTAssertEqual(config.threads, 2)
    }

    func testShippedRobotExampleLaunchFile() throws {
        let path = packageRoot.appendingPathComponent("launch/robot.example.yaml").path
        let config = try LaunchLoader.load(path: path)
        XCTAssertEqual(config.control, ControlSettings(rateHz: 3, policy: .ensemble(alpha: 0.1, horizon: 2)))
        XCTAssertEqual(config.acceleration, LaunchAcceleration(
            layerPruning: .planFile("/opt/models/cogact-base/prune-plan.json"), visualTokens: 56, cacheInterval: 5))
        XCTAssertEqual(config.topics.camera.endpoint, Endpoint(mode: .connect, address: "tcp://192.168.1.20:5555"))
        XCTAssertEqual(config.topics.reset, TopicBinding(topic: "/vla/reset", endpoint: Endpoint(mode: .bind, address: "tcp://0.0.0.0:5556")))
        XCTAssertEqual(config.service, Endpoint(mode: .bind, address: "tcp://0.0.0.0:5560"))
        XCTAssertEqual(config.threads, 2)
        // Its example plan path does not exist here: the start-up error names the key. With a real plan
        // (the demo's, on the demo model) the rest of its acceleration section builds engine options.
        let model = try DemoAcceleration.modelConfig()
        XCTAssertThrowsError(try EngineSettings.options(for: config, model: model)) {
            guard case .acceleration(let key, _)? = $0 as? NodeError else { return XCTFail("\($0)") }
            XCTAssertEqual(key, "prune_plan")
        }
        let withPlan = try LaunchLoader.load(path: path, overrides: ["node.acceleration.prune_plan=\(DemoAcceleration.planURL.path)"])
        let options = try EngineSettings.options(for: withPlan, model: model)
        XCTAssertEqual(options.acceleration.visualTokens, 56)
        XCTAssertEqual(options.acceleration.cacheInterval, 5)
        XCTAssertEqual(options.blasThreads, 2)
    }

    func testShippedAcceleratedDemoLaunchFile() throws {
        let accelerated = try LaunchLoader.load(path: packageRoot.appendingPathComponent("launch/demo-accelerated.yaml").path)
        XCTAssertEqual(accelerated.acceleration, LaunchAcceleration(layerPruning: .planFile("demo/prune-plan.json"),
                                                                   visualTokens: 56, cacheInterval: 5))
        // Otherwise the dense demo: same model, topics, control and statistics; its own bag.
        var dense = try LaunchLoader.load(path: packageRoot.appendingPathComponent("launch/demo.yaml").path)
        dense.acceleration = accelerated.acceleration
        dense.record?.path = "out/demo-accelerated-run.mcap"
        XCTAssertEqual(accelerated, dense)
        // The whole section builds engine options against the demo model (plan path from the package root).
        let options = try EngineSettings.acceleration(DemoAcceleration.launchSettings(), model: DemoAcceleration.modelConfig())
        XCTAssertEqual(options.droppedLayers, [4, 5])
        XCTAssertEqual(options.mlpChannels.count, 4)
    }

    /// The closed-loop launch files: the EfficientVLA one is the dense one plus its acceleration section,
    /// and that section builds engine options for the shipped MetaWorld policy (plan read as plain JSON).
    func testShippedSimLaunchFiles() throws {
        let root = packageRoot
        let accelerated = try LaunchLoader.load(path: root.appendingPathComponent("launch/sim-efficientvla.yaml").path)
        XCTAssertEqual(accelerated.acceleration, LaunchAcceleration(layerPruning: .planFile("demo/metaworld/prune-plan.json"),
                                                                   visualTokens: 40, selectionLayer: 3, cacheInterval: 5))
        var dense = try LaunchLoader.load(path: root.appendingPathComponent("launch/sim.yaml").path)
        XCTAssertEqual(dense.acceleration, LaunchAcceleration())
        dense.acceleration = accelerated.acceleration
        XCTAssertEqual(accelerated, dense)

        let model = try ModelConfig.load(from: root.appendingPathComponent("demo/metaworld/model/config.json"))
        let planURL = root.appendingPathComponent("demo/metaworld/prune-plan.json")
        var section = accelerated.acceleration
        section.layerPruning = .planFile(planURL.path)
        let settings = try EngineSettings.acceleration(section, model: model)
        let plan = try DemoAcceleration.planJSON(planURL)
        XCTAssertEqual(plan.dropped, [])
        XCTAssertEqual(plan.ratio, 0.75)
        XCTAssertEqual(settings.droppedLayers, [])
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: settings.mlpChannels.map { ($0.layer, $0.keep) }), plan.channels)
        XCTAssertEqual(Set(plan.channels.keys), Set(0 ..< model.llm.layers))
        XCTAssertTrue(plan.channels.values.allSatisfy { $0.count == model.llm.intermediate * 3 / 4 })
        XCTAssertEqual(settings.visualTokens, 40)
        XCTAssertEqual(settings.selectionLayer, 3)
        XCTAssertEqual(settings.cacheInterval, 5)
    }

    func testBadValueNamesFileKeyPathAndValue() {
        let failure = error(minimal(control: "  control: {rate_hz: fast}"))
        XCTAssertEqual(failure?.description, #"launch.yaml: node.control.rate_hz: expected a positive number, found "fast""#)
        XCTAssertEqual(error(minimal(control: "  control: {rate_hz: 0}")),
                       .invalidValue(source: "launch.yaml", key: "node.control.rate_hz", expected: "a positive number", found: "\"0\""))
        XCTAssertEqual(error(minimal(control: "  control: {rate_hz: [1]}")),
                       .invalidValue(source: "launch.yaml", key: "node.control.rate_hz", expected: "a positive number", found: "a list"))
    }

    func testUnknownKeysAreRefusedAtEveryLevel() {
        XCTAssertEqual(error(minimal(control: "  control: {rate: 5}")),
                       .unknownKey(source: "launch.yaml", key: "node.control.rate", allowed: ["rate_hz", "chunk_policy", "ensemble", "aggregate"]))
        guard case .unknownKey(_, let key, _)? = error("nodes: {}") else { return XCTFail() }
        XCTAssertEqual(key, "nodes")
        guard case .unknownKey(_, let cameraKey, _)? = error(minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5555}", with: "{connect: tcp://127.0.0.1:5555, fps: 30}")) else { return XCTFail() }
        XCTAssertEqual(cameraKey, "node.topics.camera.fps")
        guard case .unknownKey(_, let typeKey, _)? = error(minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5556}", with: "{connect: tcp://127.0.0.1:5556, type: x}")) else { return XCTFail() }
        XCTAssertEqual(typeKey, "node.topics.instruction.type", "only the camera has a type")
    }

    func testMissingDuplicateAndMalformedDocuments() {
        XCTAssertEqual(error(minimal().replacingOccurrences(of: "dir: models/tiny, ", with: "")),
                       .missingKey(source: "launch.yaml", key: "node.model.dir"))
        XCTAssertEqual(error(minimal() + "\n  threads: 2\n  threads: 3"), .duplicateKey(source: "launch.yaml", key: "node.threads"))
        XCTAssertEqual(error(""), .missingKey(source: "launch.yaml", key: "node"))
        guard case .invalidYAML(let source, _)? = error("node: [unclosed") else { return XCTFail() }
        XCTAssertEqual(source, "launch.yaml")
        guard case .invalidValue(_, let key, _, _)? = error("- a list") else { return XCTFail() }
        XCTAssertEqual(key, "the document")
        XCTAssertThrowsError(try LaunchLoader.load(path: "/nonexistent/launch.yaml")) { error in
            guard case .unreadableFile(let path, _)? = error as? LaunchError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/launch.yaml")
        }
    }

    func testEndpointsNeedExactlyOneValidAddressAndNoInputOutputSharing() {
        let both = minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5556}", with: "{bind: tcp://*:1, connect: tcp://h:2}")
        guard case .conflict(_, let key, _)? = error(both) else { return XCTFail() }
        XCTAssertEqual(key, "node.topics.instruction.connect")
        let neither = minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5556}", with: "{topic: /task}")
        XCTAssertEqual(error(neither), .missingKey(source: "launch.yaml", key: "node.topics.instruction.bind"))
        for bad in ["tcp://127.0.0.1:99999", "tcp://127.0.0.1", "http://host:80", "tcp://:5", "ipc://", "tcp://a b:5"] {
            let yaml = minimal().replacingOccurrences(of: "tcp://127.0.0.1:5556", with: bad)
            guard case .invalidValue(_, let badKey, _, _)? = error(yaml) else { return XCTFail(bad) }
            XCTAssertEqual(badKey, "node.topics.instruction.connect", bad)
        }
        for good in ["ipc:///tmp/vla.sock", "inproc://instruction", "tcp://robot.local:5556"] {
            let yaml = minimal().replacingOccurrences(of: "tcp://127.0.0.1:5556", with: good)
            XCTAssertEqual(try LaunchLoader.parse(yaml: yaml, sourceName: "x").topics.instruction.endpoint.address, good)
        }
        let shared = minimal().replacingOccurrences(of: "{bind: tcp://*:6000}\n    latency", with: "{connect: tcp://127.0.0.1:5555}\n    latency")
        guard case .conflict(_, let sharedKey, let reason)? = error(shared) else { return XCTFail() }
        XCTAssertEqual(sharedKey, "node.topics.action_chunk.connect")
        XCTAssertTrue(reason.contains("node.topics.camera.connect"), reason)
    }

    func testResetTopicAndServiceEndpoint() throws {
        let yaml = minimal(control: "  service: {bind: \"tcp://*:7000\"}")
            .replacingOccurrences(of: "    action_chunk:", with: "    reset: {topic: /episode/reset, connect: tcp://127.0.0.1:5557}\n    action_chunk:")
        let config = try LaunchLoader.parse(yaml: yaml, sourceName: "x")
        XCTAssertEqual(config.topics.reset, TopicBinding(topic: "/episode/reset", endpoint: Endpoint(mode: .connect, address: "tcp://127.0.0.1:5557")))
        XCTAssertEqual(config.service, Endpoint(mode: .bind, address: "tcp://*:7000"))
        let connecting = try LaunchLoader.parse(yaml: minimal(), sourceName: "x", overrides: ["node.service.connect=tcp://broker:7001"])
        XCTAssertEqual(connecting.service, Endpoint(mode: .connect, address: "tcp://broker:7001"))
        guard case .conflict(_, let key, let reason)? = error(minimal(control: "  service: {bind: \"tcp://*:6000\"}")) else { return XCTFail() }
        XCTAssertEqual(key, "node.service.bind")
        XCTAssertTrue(reason.contains("used by a topic"), reason)
        XCTAssertEqual(error(minimal(control: "  service: {}")), .missingKey(source: "launch.yaml", key: "node.service.bind"))
        guard case .unknownKey? = error(minimal(control: "  service: {bind: \"tcp://*:7000\", timeout: 3}")) else { return XCTFail() }
        let clash = minimal().replacingOccurrences(of: "    action_chunk:", with: "    reset: {topic: /instruction, connect: tcp://127.0.0.1:5556}\n    action_chunk:")
        guard case .conflict(_, let clashKey, _)? = error(clash) else { return XCTFail() }
        XCTAssertEqual(clashKey, "node.topics.topic")
    }

    func testTopicNamesMustBeAbsoluteAndDistinct() {
        let relative = minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5556}", with: "{topic: instruction, connect: tcp://127.0.0.1:5556}")
        guard case .invalidValue(_, let key, _, _)? = error(relative) else { return XCTFail() }
        XCTAssertEqual(key, "node.topics.instruction.topic")
        let clash = minimal().replacingOccurrences(of: "{connect: tcp://127.0.0.1:5556}", with: "{topic: /camera/image_raw, connect: tcp://127.0.0.1:5556}")
        guard case .conflict(_, let clashKey, _)? = error(clash) else { return XCTFail() }
        XCTAssertEqual(clashKey, "node.topics.topic")
    }

    func testAccelerationSettings() throws {
        let config = try LaunchLoader.parse(yaml: minimal(acceleration: "  acceleration: {drop_layers: [3, 5], visual_tokens: 56, selection_layer: 2, cache_interval: 5}"), sourceName: "x")
        XCTAssertEqual(config.acceleration, LaunchAcceleration(layerPruning: .dropLayers([3, 5]), visualTokens: 56, selectionLayer: 2, cacheInterval: 5))
        let plan = try LaunchLoader.parse(yaml: minimal(acceleration: "  acceleration: {prune_plan: plans/p.json}"), sourceName: "x")
        XCTAssertEqual(plan.acceleration, LaunchAcceleration(layerPruning: .planFile("plans/p.json")))
        guard case .conflict(_, let key, _)? = error(minimal(acceleration: "  acceleration: {prune_plan: p.json, drop_layers: [1]}")) else { return XCTFail() }
        XCTAssertEqual(key, "node.acceleration.drop_layers")
        guard case .conflict(_, let selectionKey, _)? = error(minimal(acceleration: "  acceleration: {selection_layer: 1}")) else { return XCTFail() }
        XCTAssertEqual(selectionKey, "node.acceleration.selection_layer")
        for (yaml, key) in [("{drop_layers: [3, 3]}", "drop_layers"), ("{drop_layers: [-1]}", "drop_layers"), ("{drop_layers: 3}", "drop_layers"),
                            ("{prune_plan: ''}", "prune_plan"), ("{prune_plan: [a]}", "prune_plan"),
                            ("{visual_tokens: 0}", "visual_tokens"), ("{visual_tokens: 56, selection_layer: -1}", "selection_layer"),
                            ("{cache_interval: 2.5}", "cache_interval"), ("{cache_interval: 0}", "cache_interval")] {
            guard case .invalidValue(_, let badKey, _, _)? = error(minimal(acceleration: "  acceleration: \(yaml)")) else { return XCTFail(yaml) }
            XCTAssertEqual(badKey, "node.acceleration." + key, yaml)
        }
    }

    func testTemporalReuseKeys() throws {
        let yaml = "  acceleration:\n    temporal_reuse: {measure: mean-absolute, max_reused_share: 0.8, relevant_share: 0.25, relevance_layer: 3,"
            + " start_layer: 1, refresh_interval: 20, max_changed_share: 0.4, vision_towers: true}"
        let config = try LaunchLoader.parse(yaml: minimal(acceleration: yaml), sourceName: "x")
        XCTAssertEqual(config.acceleration.temporalReuse,
                       TemporalReuseSettings(enabled: true, measure: .meanAbsolute, threshold: 2, maxReusedShare: 0.8, relevantShare: 0.25,
                                             relevanceLayer: 3, startLayer: 1, refreshInterval: 20, maxChangedShare: 0.4,
                                             visionTowers: true))
        let defaults = try LaunchLoader.parse(yaml: minimal(acceleration: "  acceleration: {temporal_reuse: {}}"), sourceName: "x")
        XCTAssertEqual(defaults.acceleration.temporalReuse, TemporalReuseSettings(enabled: true))
        let off = try LaunchLoader.parse(yaml: minimal(acceleration: "  acceleration: {temporal_reuse: {enabled: false, threshold: 0.99}}"), sourceName: "x")
        XCTAssertEqual(off.acceleration.temporalReuse, TemporalReuseSettings(enabled: false, threshold: 0.99))
        XCTAssertNil(try LaunchLoader.parse(yaml: minimal(), sourceName: "x").acceleration.temporalReuse, "absent: off")
        let overridden = try LaunchLoader.parse(yaml: minimal(), sourceName: "x", overrides: ["node.acceleration.temporal_reuse.enabled=true"])
        XCTAssertEqual(overridden.acceleration.temporalReuse, TemporalReuseSettings(enabled: true))
        for (yaml, key) in [("{enabled: maybe}", "enabled"), ("{measure: ssim}", "measure"), ("{threshold: 1.5}", "threshold"),
                            ("{measure: mean-absolute, threshold: 256}", "threshold"), ("{max_reused_share: 2}", "max_reused_share"),
                            ("{relevant_share: -1}", "relevant_share"), ("{start_layer: -1}", "start_layer"),
                            ("{relevance_layer: x}", "relevance_layer"), ("{refresh_interval: 0}", "refresh_interval"),
                            ("{max_changed_share: 1.5}", "max_changed_share"), ("{vision_towers: maybe}", "vision_towers")] {
            guard case .invalidValue(_, let badKey, _, _)? = error(minimal(acceleration: "  acceleration: {temporal_reuse: \(yaml)}")) else {
                return XCTFail(yaml)
            }
            XCTAssertEqual(badKey, "node.acceleration.temporal_reuse." + key, yaml)
        }
        XCTAssertNotNil(error(minimal(acceleration: "  acceleration: {temporal_reuse: {top_k: 130}}")), "unknown keys are refused")
    }

    func testRemovedMLPKeepRatioPointsToCalibrate() throws {
        let refused = error(minimal(acceleration: "  acceleration: {drop_layers: [1], mlp_keep_ratio: 0.75}"))
        guard case .removedKey(let source, let key, _)? = refused else { return XCTFail("\(String(describing: refused))") }
        XCTAssertEqual(source, "launch.yaml")
        XCTAssertEqual(key, "node.acceleration.mlp_keep_ratio")
        let message = refused?.description ?? ""
        XCTAssertTrue(message.hasPrefix("launch.yaml: node.acceleration.mlp_keep_ratio: no longer supported"), message)
        XCTAssertTrue(message.contains("vla-node calibrate --mlp-keep-ratio"), message)
        XCTAssertTrue(message.contains("prune_plan"), message)
        // Also from the command line, and even at ratio 1.
        guard case .removedKey(let overrideSource, _, _)? = error(minimal(), overrides: ["node.acceleration.mlp_keep_ratio=1"]) else { return XCTFail() }
        XCTAssertEqual(overrideSource, "command line")
    }

    func testChunkPolicies() throws {
        let defaults = try LaunchLoader.parse(yaml: minimal(control: "  control: {chunk_policy: ensemble}"), sourceName: "x")
        XCTAssertEqual(defaults.control.policy, .ensemble(alpha: 0.1, horizon: 2))
        let bridge = try LaunchLoader.parse(yaml: minimal(control: "  control: {rate_hz: 5, chunk_policy: ensemble, ensemble: {alpha: 0.2, horizon: 7}}"), sourceName: "x")
        XCTAssertEqual(bridge.control, ControlSettings(rateHz: 5, policy: .ensemble(alpha: 0.2, horizon: 7)))
        guard case .conflict(_, let key, _)? = error(minimal(control: "  control: {ensemble: {alpha: 0.1}}")) else { return XCTFail() }
        XCTAssertEqual(key, "node.control.ensemble")
        guard case .invalidValue(_, let horizonKey, _, _)? = error(minimal(control: "  control: {chunk_policy: ensemble, ensemble: {horizon: 0}}")) else { return XCTFail() }
        XCTAssertEqual(horizonKey, "node.control.ensemble.horizon")
        let rtc = try LaunchLoader.parse(yaml: minimal(control: "  control: {chunk_policy: rtc}"), sourceName: "x")
        XCTAssertEqual(rtc.control.policy, .realTimeChunking)
        let aggregate = try LaunchLoader.parse(yaml: minimal(control: "  control: {chunk_policy: aggregate}"), sourceName: "x")
        XCTAssertEqual(aggregate.control.policy, .aggregate(.weightedAverage(newWeight: 0.7)), "LeRobot's weighted_average")
        for (yaml, rule) in [("{function: weighted_average, new_weight: 0.4}", AggregationRule.weightedAverage(newWeight: 0.4)),
                             ("{function: latest_only}", .latestOnly), ("{function: average}", .average)] {
            let config = try LaunchLoader.parse(yaml: minimal(control: "  control: {chunk_policy: aggregate, aggregate: \(yaml)}"), sourceName: "x")
            XCTAssertEqual(config.control.policy, .aggregate(rule), yaml)
        }
        for (yaml, key) in [("{chunk_policy: aggregate, aggregate: {new_weight: 1.5}}", "node.control.aggregate.new_weight"),
                            ("{chunk_policy: aggregate, aggregate: {function: median}}", "node.control.aggregate.function")] {
            guard case .invalidValue(_, let badKey, _, _)? = error(minimal(control: "  control: \(yaml)")) else { return XCTFail(yaml) }
            XCTAssertEqual(badKey, key)
        }
        for (yaml, key) in [("{chunk_policy: aggregate, aggregate: {function: average, new_weight: 0.2}}", "node.control.aggregate.new_weight"),
                            ("{chunk_policy: ensemble, aggregate: {function: average}}", "node.control.aggregate")] {
            guard case .conflict(_, let badKey, _)? = error(minimal(control: "  control: \(yaml)")) else { return XCTFail(yaml) }
            XCTAssertEqual(badKey, key)
        }
        guard case .invalidValue(_, let policyKey, _, _)? = error(minimal(control: "  control: {chunk_policy: smooth}")) else { return XCTFail() }
        XCTAssertEqual(policyKey, "node.control.chunk_policy")
        // A period that does not fit in 64-bit nanoseconds is refused here, not trapped on at start.
        XCTAssertEqual(error(minimal(control: "  control: {rate_hz: 1e-12}")),
                       .invalidValue(source: "launch.yaml", key: "node.control.rate_hz", expected: "a rate between 1e-9 and 1e9 Hz",
                                     found: "\"1e-12\""))
    }

    func testScalarSettings() throws {
        let config = try LaunchLoader.parse(yaml: minimal(control: "  name: arm\n  threads: 3\n  log_level: debug\n  record: {path: out.mcap, compression: lz4}\n  stats: {interval_s: 2.5, window: 50, warmup_inferences: 0}"), sourceName: "x")
        XCTAssertEqual(config.nodeName, "arm")
        XCTAssertEqual(config.threads, 3)
        XCTAssertEqual(config.logLevel, Logger.Level.debug)
        XCTAssertEqual(config.record, RecordSettings(path: "out.mcap", compression: .lz4))
        XCTAssertEqual(config.stats, StatsSettings(intervalSeconds: 2.5, window: 50, warmUpInferences: 0))
        for (yaml, key) in [("threads: 0", "threads"), ("log_level: verbose", "log_level"), ("record: {compression: brotli, path: a}", "record.compression"),
                            ("stats: {window: 0}", "stats.window"), ("name: ''", "name")] {
            guard case .invalidValue(_, let badKey, _, _)? = error(minimal(control: "  " + yaml)) else { return XCTFail(yaml) }
            XCTAssertEqual(badKey, "node." + key, yaml)
        }
        XCTAssertEqual(error(minimal(control: "  record: {compression: zstd}")), .missingKey(source: "launch.yaml", key: "node.record.path"))
    }

    func testRecorderQueueBoundIsInMiBAndChecked() throws {
        XCTAssertEqual(try LaunchLoader.parse(yaml: minimal(control: "  record: {path: a.mcap}"), sourceName: "x").record?.queueBytes,
                       256 << 20, "default")
        XCTAssertEqual(try LaunchLoader.parse(yaml: minimal(control: "  record: {path: a.mcap, queue_mb: 1.5}"), sourceName: "x")
                        .record?.queueBytes, 3 << 19)
        for value in ["0", "-4", "fast", "[1]", "2000000"] {
            XCTAssertEqual(error(minimal(control: "  record: {path: a.mcap, queue_mb: \(value)}")),
                           .invalidValue(source: "launch.yaml", key: "node.record.queue_mb", expected: "a number of MiB between 1 and 1048576",
                                         found: value == "[1]" ? "a list" : "\"\(value)\""), value)
        }
    }

    func testOverrideThroughAValueThatIsNotAMappingIsRefused() {
        XCTAssertEqual(error(minimal(control: "  control: {rate_hz: 5}"), overrides: ["node.control.rate_hz.max=9"]),
                       .invalidOverride("node.control.rate_hz.max=…", reason: "node.control.rate_hz holds \"5\", not a mapping"))
        XCTAssertEqual(error("just text", overrides: ["node.name=arm"]),
                       .invalidOverride("node.name=…", reason: "the document holds \"just text\", not a mapping"))
    }

    func testSummaryIntervalInNanosecondsSaturates() throws {
        XCTAssertEqual(StatsSettings(intervalSeconds: 2.5).intervalNanoseconds, 2_500_000_000)
        XCTAssertEqual(StatsSettings(intervalSeconds: 1e-12).intervalNanoseconds, 1, "at least one nanosecond")
        XCTAssertEqual(StatsSettings(intervalSeconds: 1e30).intervalNanoseconds, .max, "beyond 64 bits: never")
    }

    func testOverridesReplaceCreateAndAreBlamedOnTheCommandLine() throws {
        let config = try LaunchLoader.parse(yaml: minimal(), sourceName: "launch.yaml", overrides: [
            "node.control.rate_hz=10", "node.acceleration.drop_layers=[3,5]", "node.topics.camera.topic=/cam/compressed",
            "node.topics.camera.type=sensor_msgs/msg/CompressedImage", "node.record.path=run.mcap",
        ])
        XCTAssertEqual(config.control.rateHz, 10)
        XCTAssertEqual(config.acceleration.layerPruning, .dropLayers([3, 5]))
        XCTAssertEqual(config.topics.camera.topic, "/cam/compressed")
        XCTAssertEqual(config.topics.cameraType, .compressedImage)
        XCTAssertEqual(config.record, RecordSettings(path: "run.mcap", compression: .zstd))
        XCTAssertEqual(error(minimal(), overrides: ["node.control.rate_hz=fast"])?.description,
                       #"command line: node.control.rate_hz: expected a positive number, found "fast""#)
        guard case .unknownKey(let source, let key, _)? = error(minimal(), overrides: ["node.control.speed=1"]) else { return XCTFail() }
        XCTAssertEqual(source, "command line")
        XCTAssertEqual(key, "node.control.speed")
        for bad in ["node.control.rate_hz", "=5", "node..rate_hz=1", "node.model.dir.sub=x", "node.control rate=1"] {
            guard case .invalidOverride? = error(minimal(), overrides: [bad]) else { return XCTFail(bad) }
        }
    }
}
