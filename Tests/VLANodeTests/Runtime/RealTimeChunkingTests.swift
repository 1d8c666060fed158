import Foundation
import Inference
import Logging
import Messages
import XCTest
@testable import VLANode

/// Real-time chunking in the node: the frozen-row count the inference loop derives from the measured
/// p50, the previous chunk's rows on the new chunk's time base, and the demo model's chunk continuing
/// its predecessor exactly on the frozen rows.
final class RealTimeChunkingTests: XCTestCase {
    private let period: UInt64 = 200_000_000

    func testPreviousChunkIsShiftedClippedAndSoftMasked() throws {
        let rows = 6, dimension = 2
        let sample = (0 ..< rows * dimension).map { Float($0) / 4 - 1.2 }  // −1.2 … 1.55
        let previous = PreviousChunk(sample: sample, observationTime: 1_000, instruction: "a", dimension: dimension)
        let continuation = ChunkContinuation(frozenRows: 1, periodNanoseconds: period)
        // Observed 2.4 periods later: row k of the new chunk is row k + 2 of the previous one.
        let inpainting = try XCTUnwrap(previous.inpainting(observedAt: 1_000 + 480_000_000, continuation: continuation))
        let shifted = sample[(2 * dimension)...].map { min(max($0, -1), 1) }
        XCTAssertEqual(Array(inpainting.target.prefix(4 * dimension)), shifted)
        XCTAssertEqual(Array(inpainting.target.suffix(2 * dimension)), [0, 0, 0, 0])
        XCTAssertEqual(inpainting.weights, ActionInpainting.weights(horizon: rows, frozenRows: 1, overlapRows: 4))
        XCTAssertNil(previous.inpainting(observedAt: 1_000 + 6 * period, continuation: continuation), "no row in common")
    }

    /// Frozen rows = ⌈(start − observation + p50) / P⌉: 0 before any latency is measured (the frame
    /// is taken at once), 2 once an inference took 250 ms at P = 200 ms; nil under other policies.
    func testTheLoopFreezesTheRowsOfTheExpectedLatency() throws {
        let clock = ManualClock(start: 1_000_000_000)
        let runner = FakePolicyRunner()
        runner.clock = clock
        runner.duration = 250_000_000
        for policy in [ChunkPolicy.realTimeChunking, .chunking] {
            let frames = LatestValueMailbox<ObservedFrame>(), instructions = LatestValueMailbox<String>()
            let scheduler = try ActionScheduler(policy: policy, periodNanoseconds: period)
            let statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
            let loop = InferenceLoop(runner: runner, frames: frames, instructions: instructions, scheduler: scheduler,
                                     statistics: statistics, clock: clock, reports: CollectingSink(), cameraTopic: "/camera/image_raw",
                                     logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            _ = instructions.put("reach")
            for _ in 0 ..< 2 {
                frames.put(ObservedFrame(message: [1], receivedAt: clock.now()))
                loop.step(waitingUpTo: 0)
            }
        }
        XCTAssertEqual(runner.continuations, [ChunkContinuation(frozenRows: 0, periodNanoseconds: period),
                                              ChunkContinuation(frozenRows: 2, periodNanoseconds: period), nil, nil])
    }

    /// On the demo model: the second chunk, observed one period after the first and told to freeze 3
    /// rows, has exactly the first chunk's rows 1–3 as its rows 0–2; without a continuation it does not.
    func testTheDemoModelsNextChunkContinuesTheFrozenRowsExactly() throws {
        let configuration = try LaunchLoader.parse(yaml: TestMessages.launchYAML(publisher: "tcp://127.0.0.1:5555"), sourceName: "t.yaml")
        let runner = CogACTPolicyRunner(policy: try PolicyLoader.load(configuration), cameraType: .image, unnormKey: "demo_robot")
        let continuation = ChunkContinuation(frozenRows: 3, periodNanoseconds: period)
        let frame = { (seed: Int, time: UInt64) in
            ObservedFrame(message: TestMessages.image(seed: seed, stampNanoseconds: Int64(time)).cdrBytes(), receivedAt: time,
                          stamp: Int64(time))
        }
        let first = try runner.infer(frame: frame(1, 10 * period), instruction: "open the window", continuation: continuation)
        let second = try runner.infer(frame: frame(2, 11 * period), instruction: "open the window", continuation: continuation)
        XCTAssertEqual(Array(second.actions[0 ..< 3]), Array(first.actions[1 ... 3]))
        XCTAssertNotEqual(second.actions[3 ..< 16].map { $0 }, first.actions[4 ..< 16].map { $0 } + [first.actions[15]])
        runner.resetEpisode()
        let fresh = try runner.infer(frame: frame(2, 11 * period), instruction: "open the window", continuation: continuation)
        XCTAssertNotEqual(Array(fresh.actions[0 ..< 3]), Array(first.actions[1 ... 3]), "the reset forgot the previous chunk")
    }
}
