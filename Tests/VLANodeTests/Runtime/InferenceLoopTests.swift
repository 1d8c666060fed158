import Logging
import XCTest
@testable import VLANode

final class InferenceLoopTests: XCTestCase {
    private let period: UInt64 = 200_000_000
    private var clock: ManualClock!
    private var runner: FakePolicyRunner!
    private var sink: CollectingSink!
    private var frames: LatestValueMailbox<ObservedFrame>!
    private var instructions: LatestValueMailbox<String>!
    private var scheduler: ActionScheduler!
    private var statistics: NodeStatistics!
    private var ingress: InstructionIngress!
    private var loop: InferenceLoop!

    override func setUpWithError() throws {
        clock = ManualClock(start: 1_000_000_000)
        runner = FakePolicyRunner()
        runner.clock = clock
        runner.duration = 250_000_000
        sink = CollectingSink()
        frames = LatestValueMailbox()
        instructions = LatestValueMailbox()
        scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        ingress = InstructionIngress(mailbox: instructions, scheduler: scheduler, counters: statistics.counters)
        loop = InferenceLoop(runner: runner, frames: frames, instructions: instructions, scheduler: scheduler,
                             statistics: statistics, clock: clock, reports: sink, cameraTopic: "/camera/image_raw",
                             logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private func report(_ step: InferenceLoop.Step, file: StaticString = #filePath, line: UInt = #line) -> InferenceReport? {
        guard case .inferred(let report) = step else {
            XCTFail("expected an inference, got \(step)", file: file, line: line)
            return nil
        }
        return report
    }

    func testIdleWithoutFrameAndDropsFramesUntilAnInstructionArrives() {
        XCTAssertEqual(loop.step(waitingUpTo: 0), .idle)
        frames.put(ObservedFrame(message: [1], receivedAt: clock.now()))
        XCTAssertEqual(loop.step(waitingUpTo: 0), .waitingForInstruction)
        XCTAssertTrue(runner.calls.isEmpty)
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
    }

    func testInfersOnNewestFrameAndStampsChunkWithItsReceiveTime() throws {
        try ingress.receive("pick up the can")
        for byte in [10, 20, 30] as [UInt8] {
            frames.put(ObservedFrame(message: [byte], receivedAt: clock.now()))
            clock.advance(by: 40_000_000)
        }
        let observed = clock.now() - 40_000_000
        let result = try XCTUnwrap(report(loop.step(waitingUpTo: 0)))
        XCTAssertEqual(runner.calls.map(\.message), [[30]])
        XCTAssertEqual(runner.calls.first?.instruction, "pick up the can")
        XCTAssertEqual(result.frameSequence, 3)
        XCTAssertEqual(result.instructionSequence, 1)
        XCTAssertEqual(result.outcome, .accepted)
        XCTAssertEqual(result.chunkLength, 16)
        XCTAssertEqual(result.inferenceMilliseconds, 250)
        XCTAssertEqual(result.frameAgeMilliseconds, 40)
        XCTAssertEqual(result.totalMilliseconds, 290)
        XCTAssertEqual(result.gflop, 3)               // the runner's figures for frame 30 reach the report
        XCTAssertEqual(result.visualTokensKept, 30)
        XCTAssertEqual(frames.counts.skipped, 2)
        XCTAssertEqual(sink.reports, [result])
        // The scheduler now covers the observation time with the chunk's row 0 (= 30).
        guard case .publish(let scheduled) = scheduler.outcome(at: observed) else { return XCTFail() }
        XCTAssertEqual(scheduled.actions.first?.first, 30)
        XCTAssertEqual(statistics.summary(frames: frames.counts).inference?.p50, 250)
        XCTAssertEqual(statistics.counters.snapshot()[.inferences], 1)
    }

    func testMalformedFrameAndEngineFailureAreCountedNotFatal() throws {
        try ingress.receive("stack the blocks")
        runner.behaviour = .malformed
        frames.put(ObservedFrame(message: [1], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .malformedFrame("bad image bytes"))
        runner.behaviour = .fail
        frames.put(ObservedFrame(message: [2], receivedAt: clock.now()))
        guard case .failed? = report(loop.step(waitingUpTo: 0))?.outcome else { return XCTFail() }
        let counters = statistics.counters.snapshot()
        XCTAssertEqual(counters.malformedByTopic, ["/camera/image_raw": 1])
        XCTAssertEqual(counters[.inferenceFailures], 1)
        XCTAssertEqual(counters[.inferences], 0)
        XCTAssertNil(statistics.summary(frames: frames.counts).inference, "failures are not latency samples")
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
    }

    func testChunkForAnInstructionReplacedDuringInferenceIsRejected() throws {
        try ingress.receive("open the drawer")
        runner.duringInference = { [ingress] in _ = try? ingress?.receive("close the drawer") }
        frames.put(ObservedFrame(message: [5], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .rejected(.staleInstruction(chunk: 1, current: 2)))
        XCTAssertEqual(statistics.counters.snapshot()[.chunksRejected], 1)
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
    }

    /// A reset during an inference makes its chunk stale; the frame observed before the reset is
    /// dropped; the policy's caches are cleared once, before the first inference of the new episode.
    func testEpisodeResetRefusesChunksAndFramesFromBeforeItAndResetsThePolicyOnce() throws {
        let resets = EpisodeReset(scheduler: scheduler, counters: statistics.counters, clock: clock,
                                  logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try ingress.receive("open the drawer")
        frames.put(ObservedFrame(message: [1], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .accepted)
        runner.duringInference = { resets.reset(source: "test") }
        frames.put(ObservedFrame(message: [2], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .rejected(.staleEpisode(chunk: 0, current: 1)))
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
        runner.duringInference = nil
        frames.put(ObservedFrame(message: [3], receivedAt: clock.now() - 1))  // observed just before the reset
        XCTAssertEqual(loop.step(waitingUpTo: 0), .frameBeforeReset)
        XCTAssertEqual(statistics.counters.snapshot()[.framesBeforeReset], 1)
        XCTAssertEqual(runner.resets, [], "no inference of the new episode has run yet")
        frames.put(ObservedFrame(message: [4], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .accepted)
        frames.put(ObservedFrame(message: [5], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .accepted)
        XCTAssertEqual(runner.resets, [2], "reset once, after the two inferences of episode 0")
        XCTAssertEqual(runner.calls.map(\.message), [[1], [2], [4], [5]])
    }

    func testReportSinkFailureIsCounted() throws {
        try ingress.receive("wipe the table")
        sink.failing = true
        frames.put(ObservedFrame(message: [5], receivedAt: clock.now()))
        XCTAssertEqual(report(loop.step(waitingUpTo: 0))?.outcome, .accepted)
        XCTAssertEqual(statistics.counters.snapshot()[.publishFailures], 1)
    }

    func testDedicatedThreadRunsUntilStopped() throws {
        try ingress.receive("pick up the can")
        let reported = expectation(description: "report")
        reported.assertForOverFulfill = false
        sink.onReport = { _ in reported.fulfill() }
        loop.start()
        frames.put(ObservedFrame(message: [7], receivedAt: clock.now()))
        wait(for: [reported], timeout: 10)
        XCTAssertTrue(loop.stop(timeout: 10))
        frames.close()
        XCTAssertEqual(sink.reports.first?.outcome, .accepted)
    }
}
