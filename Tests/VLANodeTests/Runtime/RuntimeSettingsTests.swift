import Foundation
import Inference
import XCTest
@testable import VLANode

final class RuntimeSettingsTests: XCTestCase {
    private func configuration(_ extra: String = "", dir: String = "demo/model", unnorm: String = "demo_robot",
                               instruction: String = "connect: tcp://127.0.0.1:5555",
                               chunk: String = "bind: tcp://127.0.0.1:6000", latency: String = "bind: tcp://127.0.0.1:6000") throws -> LaunchConfiguration {
        try LaunchLoader.parse(yaml: """
            node:
              model: {dir: \(dir), unnorm_key: \(unnorm)}
              topics:
                camera: {connect: tcp://127.0.0.1:5555}
                instruction: {\(instruction)}
                action_chunk: {\(chunk)}
                latency: {\(latency)}
            \(extra)
            """, sourceName: "test.yaml")
    }

    func testTopicsSharingAnEndpointShareOneSocket() throws {
        let plan = SocketPlan(topics: try configuration().topics)
        XCTAssertEqual(plan.inputs, [SocketSpec(endpoint: Endpoint(mode: .connect, address: "tcp://127.0.0.1:5555"),
                                                topics: ["/camera/image_raw", "/instruction", "/vla/reset"],
                                                maximumMessageBytes: SocketPlan.maximumCameraMessageBytes,
                                                receiveHighWaterMark: SocketPlan.cameraReceiveHighWaterMark)])
        XCTAssertEqual(plan.outputs.map(\.topics), [["/vla/action_chunk", "/vla/latency"]])
        let own = SocketPlan(topics: try configuration(instruction: "connect: tcp://127.0.0.1:5556").topics)
        XCTAssertEqual(own.inputs.map(\.receiveHighWaterMark),
                       [SocketPlan.cameraReceiveHighWaterMark, SocketPlan.instructionReceiveHighWaterMark])
        let split = SocketPlan(topics: try configuration(latency: "connect: tcp://10.0.0.1:7000").topics)
        XCTAssertEqual(split.outputs.map(\.topics), [["/vla/action_chunk"], ["/vla/latency"]])
        XCTAssertEqual(split.outputs.map(\.endpoint.mode), [.bind, .connect])
    }

    func testBLASKeepsACoreFree() throws {
        XCTAssertEqual(EngineSettings.blasThreads(requested: nil, onlineCores: 2), 1)
        XCTAssertEqual(EngineSettings.blasThreads(requested: nil, onlineCores: 1), 1)
        XCTAssertEqual(EngineSettings.blasThreads(requested: 3, onlineCores: 2), 3)
        XCTAssertEqual(try EngineSettings.options(for: configuration("  threads: 2"), model: DemoAcceleration.modelConfig()).blasThreads, 2)
    }

    private func settings(_ yaml: String) throws -> AccelerationSettings {
        try EngineSettings.options(for: configuration("  acceleration: \(yaml)"), model: DemoAcceleration.modelConfig()).acceleration
    }

    /// The `NodeError.acceleration` key (under node.acceleration) that `yaml` is refused with.
    private func refusedKey(_ yaml: String, model: ModelConfig? = nil, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            let config = try model ?? DemoAcceleration.modelConfig()
            _ = try EngineSettings.options(for: configuration("  acceleration: \(yaml)"), model: config)
            XCTFail("\(yaml) was accepted", file: file, line: line)
        } catch NodeError.acceleration(let key, let reason) {
            XCTAssertTrue(NodeError.acceleration(key: key, reason: reason).description.hasPrefix("node.acceleration.\(key): "))
            return key
        } catch {
            XCTFail("\(yaml): \(error)", file: file, line: line)
        }
        return nil
    }

    func testNoAccelerationKeysIsTheDenseModel() throws {
        XCTAssertEqual(try EngineSettings.options(for: configuration(), model: DemoAcceleration.modelConfig()).acceleration, .dense)
    }

    func testPlanFileGivesItsDroppedLayersAndMLPChannels() throws {
        let plan = try DemoAcceleration.planJSON()
        let settings = try settings("{prune_plan: \(DemoAcceleration.planURL.path)}")
        XCTAssertEqual(settings.droppedLayers, Set(plan.dropped))
        XCTAssertEqual(settings.droppedLayers, [4, 5], "the plan committed with --drop 2")
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: settings.mlpChannels.map { ($0.layer, $0.keep) }), plan.channels)
        // --mlp-keep-ratio 0.75 of the 512-wide MLP, in every layer that stays.
        XCTAssertEqual(plan.channels.keys.sorted(), [0, 1, 2, 3])
        XCTAssertTrue(plan.channels.values.allSatisfy { $0.count == 384 })
        XCTAssertEqual(settings.visualTokens, nil)
        XCTAssertEqual(settings.cacheInterval, 1)
    }

    func testDropLayersTokensSelectionLayerAndCache() throws {
        let settings = try settings("{drop_layers: [1, 4], visual_tokens: 56, selection_layer: 2, cache_interval: 5}")
        XCTAssertEqual(settings, AccelerationSettings(droppedLayers: [1, 4], visualTokens: 56, selectionLayer: 2, cacheInterval: 5))
        XCTAssertTrue(settings.mlpChannels.isEmpty, "drop_layers keeps the MLP at full width")
        XCTAssertEqual(try self.settings("{visual_tokens: 72}").selectionLayer, AccelerationSettings().selectionLayer,
                       "without selection_layer the engine's default applies")
    }

    func testSettingsThatDoNotFitTheModelNameTheirKey() throws {
        XCTAssertEqual(refusedKey("{drop_layers: [6]}"), "drop_layers")
        XCTAssertEqual(refusedKey("{drop_layers: [0, 1, 2, 3, 4, 5]}"), "drop_layers")
        XCTAssertEqual(refusedKey("{visual_tokens: 257}"), "visual_tokens")  // the demo model has 16 × 16 patches
        XCTAssertNoThrow(try settings("{visual_tokens: 256}"))
        // 3 layers run: the selection layer must leave one after it.
        XCTAssertEqual(refusedKey("{drop_layers: [0, 1, 2], visual_tokens: 56, selection_layer: 2}"), "selection_layer")
        XCTAssertEqual(refusedKey("{drop_layers: [0, 1, 2, 3], visual_tokens: 56}"), "visual_tokens")
        XCTAssertNoThrow(try settings("{drop_layers: [0, 1, 2], visual_tokens: 56, selection_layer: 1}"))
    }

    func testBadPlanFilesAreStartUpErrorsNamingPrunePlan() throws {
        XCTAssertEqual(refusedKey("{prune_plan: /nonexistent/plan.json}"), "prune_plan")
        let corrupt = TestPaths.temporary("corrupt-plan.json")
        defer { try? FileManager.default.removeItem(at: corrupt) }
        let text = try String(contentsOf: DemoAcceleration.planURL, encoding: .utf8)
        for bytes in ["not json", String(text.prefix(text.count / 2)), "{\"droppedLayers\": [1]}"] {
            try Data(bytes.utf8).write(to: corrupt)
            XCTAssertEqual(refusedKey("{prune_plan: \(corrupt.path)}"), "prune_plan", bytes)
        }
        // A plan scored on a deeper model (the 6-layer plan on an 8-layer config).
        var deeper = try DemoAcceleration.modelConfig()
        deeper.llm.layers = 8
        XCTAssertEqual(refusedKey("{prune_plan: \(DemoAcceleration.planURL.path)}", model: deeper), "prune_plan")
        // Channels outside a narrower MLP.
        var narrower = try DemoAcceleration.modelConfig()
        narrower.llm.intermediate = 256
        XCTAssertEqual(refusedKey("{prune_plan: \(DemoAcceleration.planURL.path)}", model: narrower), "prune_plan")
    }

    func testPolicyLoaderAppliesThePlan() throws {
        let policy = try PolicyLoader.load(configuration("  acceleration: {prune_plan: \(DemoAcceleration.planURL.path), visual_tokens: 56}",
                                                         dir: TestPaths.demoModel.path))
        XCTAssertEqual(policy.model.llm.layerIndices, [0, 1, 2, 3])
        XCTAssertEqual(policy.model.acceleration.visualTokens, 56)
        XCTAssertThrowsError(try PolicyLoader.load(configuration("  acceleration: {prune_plan: missing.json}", dir: TestPaths.demoModel.path))) {
            XCTAssertTrue(String(describing: $0).hasPrefix("node.acceleration.prune_plan: missing.json: no such file"), "\($0)")
        }
    }

    func testPolicyLoaderConfiguresTemporalReuseAndNamesAKeyTheModelCannotTake() throws {
        let policy = try PolicyLoader.load(configuration("  acceleration: {temporal_reuse: {start_layer: 3, refresh_interval: 7}}",
                                                         dir: TestPaths.demoModel.path))
        XCTAssertEqual(policy.temporalReuse, TemporalReuseSettings(enabled: true, startLayer: 3, refreshInterval: 7))
        XCTAssertEqual(try PolicyLoader.load(configuration(dir: TestPaths.demoModel.path)).temporalReuse, .off)
        // The demo model runs 6 layers, or 4 with its plan: start_layer 5 then fits no layer.
        XCTAssertThrowsError(try PolicyLoader.load(configuration("  acceleration: {prune_plan: \(DemoAcceleration.planURL.path), temporal_reuse: {start_layer: 5}}",
                                                                 dir: TestPaths.demoModel.path))) {
            XCTAssertTrue(String(describing: $0).hasPrefix("node.acceleration.temporal_reuse.start_layer: 5 is invalid for this model"), "\($0)")
        }
    }

    func testPolicyLoaderSaysWhatIsMissing() throws {
        XCTAssertThrowsError(try PolicyLoader.load(configuration(dir: "/nonexistent/model"))) {
            XCTAssertTrue(String(describing: $0).hasPrefix("node.model.dir /nonexistent/model: no such directory"), "\($0)")
        }
        XCTAssertThrowsError(try PolicyLoader.load(configuration(dir: TestPaths.demoModel.path, unnorm: "bridge_orig"))) {
            XCTAssertEqual($0 as? NodeError, .unknownUnnormKey("bridge_orig", directory: TestPaths.demoModel.path, available: ["demo_robot"]))
        }
    }

    func testStampsFarFromTheReceiveTimeAreNotTrusted() {
        let clock = ObservationClock(toleranceNanoseconds: 1_000)
        XCTAssertEqual(clock.observationTime(stamp: 9_500, receivedWall: 10_000).nanoseconds, 9_500)
        XCTAssertTrue(clock.observationTime(stamp: 9_500, receivedWall: 10_000).fromStamp)
        XCTAssertEqual(clock.observationTime(stamp: 8_000, receivedWall: 10_000).nanoseconds, 10_000)  // a replayed bag
        XCTAssertEqual(clock.observationTime(stamp: 12_000, receivedWall: 10_000).nanoseconds, 10_000)  // from the future
        XCTAssertEqual(clock.observationTime(stamp: 0, receivedWall: 10_000).nanoseconds, 10_000)
        XCTAssertEqual(clock.observationTime(stamp: nil, receivedWall: 10_000).nanoseconds, 10_000)
        XCTAssertEqual(clock.observationTime(stamp: .min, receivedWall: .max).nanoseconds, .max)  // no overflow trap
    }
}
