import Foundation
import Inference
import Messages
import XCTest
@testable import VLANode

/// The runner seeds the DDIM noise with the frame's stamp, so that the same frame gives the same
/// chunk however many inferences ran before it (lock-step simulation, replayed bags with drops).
final class CogACTPolicyRunnerNoiseTests: XCTestCase {
    private func runner() throws -> CogACTPolicyRunner {
        let configuration = try LaunchLoader.parse(yaml: """
            node:
              model: {dir: \(TestPaths.demoModel.path), unnorm_key: demo_robot}
              topics:
                camera: {connect: tcp://127.0.0.1:5555}
                instruction: {connect: tcp://127.0.0.1:5555}
                action_chunk: {bind: tcp://127.0.0.1:6000}
                latency: {bind: tcp://127.0.0.1:6000}
            """, sourceName: "test.yaml")
        return CogACTPolicyRunner(policy: try PolicyLoader.load(configuration), cameraType: .image, unnormKey: "demo_robot")
    }

    private func frame(stamp: Int64, seed: Int = 3) -> ObservedFrame {
        ObservedFrame(message: TestMessages.image(seed: seed, stampNanoseconds: stamp).cdrBytes(), receivedAt: 1,
                      stamp: stamp)
    }

    func testTheSameStampedFrameGivesTheSameChunkAfterOtherInferences() throws {
        let first = try runner()
        let alone = try first.infer(frame: frame(stamp: 1_700_000_000_000_000_000), instruction: "open the window", continuation: nil)
        let second = try runner()
        _ = try second.infer(frame: frame(stamp: 5, seed: 9), instruction: "open the window", continuation: nil)
        _ = try second.infer(frame: frame(stamp: 0), instruction: "open the window", continuation: nil)
        let later = try second.infer(frame: frame(stamp: 1_700_000_000_000_000_000), instruction: "open the window", continuation: nil)
        XCTAssertEqual(later.actions, alone.actions)
    }

    func testOtherStampsDrawOtherNoise() throws {
        let policy = try runner()
        let one = try policy.infer(frame: frame(stamp: 1_000), instruction: "open the window", continuation: nil)
        let other = try policy.infer(frame: frame(stamp: 2_000), instruction: "open the window", continuation: nil)
        XCTAssertNotEqual(one.actions, other.actions)
    }

    func testUnstampedFramesFallBackToTheInferenceCount() {
        XCTAssertEqual(CogACTPolicyRunner.noiseSeed(stamp: nil, inferenceCount: 4), 4)
        XCTAssertEqual(CogACTPolicyRunner.noiseSeed(stamp: 0, inferenceCount: 7), 7)
        XCTAssertEqual(CogACTPolicyRunner.noiseSeed(stamp: 12_345, inferenceCount: 7), 12_345)
    }
}
