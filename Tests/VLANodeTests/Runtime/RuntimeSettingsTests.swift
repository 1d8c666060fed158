import Foundation
import Inference
import XCTest
@testable import VLANode

final class RuntimeSettingsTests: XCTestCase {
    private func configuration(_ extra: String = "", dir: String = "demo/model", unnorm: String = "demo_robot",
                               chunk: String = "bind: tcp://127.0.0.1:6000", latency: String = "bind: tcp://127.0.0.1:6000") throws -> LaunchConfiguration {
        try LaunchLoader.parse(yaml: """
            node:
              model: {dir: \(dir), unnorm_key: \(unnorm)}
              topics:
                camera: {connect: tcp://127.0.0.1:5555}
                instruction: {connect: tcp://127.0.0.1:5555}
                action_chunk: {\(chunk)}
                latency: {\(latency)}
            \(extra)
            """, sourceName: "test.yaml")
    }

    func testTopicsSharingAnEndpointShareOneSocket() throws {
        let plan = SocketPlan(topics: try configuration().topics)
        XCTAssertEqual(plan.inputs, [SocketSpec(endpoint: Endpoint(mode: .connect, address: "tcp://127.0.0.1:5555"),
                                                topics: ["/camera/image_raw", "/instruction"],
                                                maximumMessageBytes: SocketPlan.maximumCameraMessageBytes)])
        XCTAssertEqual(plan.outputs.map(\.topics), [["/vla/action_chunk", "/vla/latency"]])
        let split = SocketPlan(topics: try configuration(latency: "connect: tcp://10.0.0.1:7000").topics)
        XCTAssertEqual(split.outputs.map(\.topics), [["/vla/action_chunk"], ["/vla/latency"]])
        XCTAssertEqual(split.outputs.map(\.endpoint.mode), [.bind, .connect])
    }

    func testDropLayersBecomeKeptLayersAndBLASKeepsACoreFree() throws {
        let options = try EngineSettings.options(for: configuration("  acceleration: {drop_layers: [1, 4]}"), layerCount: 6)
        XCTAssertEqual(options.keepLLMLayers, [0, 2, 3, 5])
        XCTAssertEqual(EngineSettings.blasThreads(requested: nil, onlineCores: 2), 1)
        XCTAssertEqual(EngineSettings.blasThreads(requested: nil, onlineCores: 1), 1)
        XCTAssertEqual(EngineSettings.blasThreads(requested: 3, onlineCores: 2), 3)
        XCTAssertNil(try EngineSettings.options(for: configuration(), layerCount: 6).keepLLMLayers)
    }

    func testAccelerationTheEngineCannotApplyIsRefusedNotIgnored() throws {
        XCTAssertThrowsError(try EngineSettings.options(for: configuration("  acceleration: {drop_layers: [6]}"), layerCount: 6)) {
            XCTAssertEqual($0 as? NodeError, .invalidLayerPruning("layers [6] do not exist; the model has layers 0…5"))
        }
        XCTAssertThrowsError(try EngineSettings.options(for: configuration("  acceleration: {drop_layers: [0, 1]}"), layerCount: 2))
        for (yaml, key) in [("{visual_tokens: 56}", "visual_tokens"), ("{cache_interval: 2}", "cache_interval"),
                            ("{mlp_keep_ratio: 0.5}", "mlp_keep_ratio"), ("{prune_plan: plan.json}", "prune_plan")] {
            XCTAssertThrowsError(try EngineSettings.options(for: configuration("  acceleration: \(yaml)"), layerCount: 6)) {
                guard case .unsupportedAcceleration(let reported, _)? = $0 as? NodeError else { return XCTFail("\($0)") }
                XCTAssertEqual(reported, key)
            }
        }
        XCTAssertNoThrow(try EngineSettings.options(for: configuration("  acceleration: {cache_interval: 1, mlp_keep_ratio: 1}"), layerCount: 6))
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
