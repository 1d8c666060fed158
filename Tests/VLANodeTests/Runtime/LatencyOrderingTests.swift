import Logging
import Messages
import XCTest
import ZMQ
@testable import VLANode

/// The control and inference loops stepped by hand around a real `OutputPublisher`: an inference that
/// finishes while a tick is being decided must not have its latency report sent before its chunk.
final class LatencyOrderingTests: XCTestCase {
    /// Forwards to the publisher, running `race` inside the tick: after the outcome, before `tickEnded`.
    private final class RacingSink: ActionSink {
        let publisher: OutputPublisher
        var race: (() -> Void)?

        init(_ publisher: OutputPublisher) {
            self.publisher = publisher
        }

        func tickDeciding(_ tick: Tick) { publisher.tickDeciding(tick) }
        func publish(_ actions: ScheduledActions) throws { try publisher.publish(actions) }
        func tickEnded(_ tick: Tick, outcome: TickOutcome) {
            race?()
            race = nil
            publisher.tickEnded(tick, outcome: outcome)
        }
    }

    private let period: UInt64 = 200_000_000
    private let start: UInt64 = 10_000_000_000
    private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func testAReportQueuedBetweenTheOutcomeAndTheTickEndFollowsItsChunk() throws {
        let context = try ZMQ.Context()
        let address = "inproc://latency-ordering-\(UUID().uuidString)"
        let pub = try context.makeSocket(.pub)
        try pub.bind(address)
        let receiver = try context.makeSocket(.sub)
        try receiver.connect(address)
        try receiver.subscribe(to: "")
        defer { receiver.close(); pub.close() }

        let clock = ManualClock(start: start)
        let statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        let frames = LatestValueMailbox<ObservedFrame>()
        let instructions = LatestValueMailbox<String>()
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        let publisher = OutputPublisher(
            topics: try TestMessages.defaultTopics(), sockets: ["/vla/action_chunk": pub, "/vla/latency": pub],
            context: .init(anchor: WallClockAnchor(clock: clock), clock: clock, controlPeriodSeconds: 0.2, statistics: statistics,
                           frames: frames, acceleration: AccelerationReport(llmLayersKept: 6, llmLayersTotal: 6, visualTokensKept: 256,
                                                                            visualTokensTotal: 256, cacheInterval: 1, diffusionSteps: 10)),
            recorder: nil, logger: quiet)
        let runner = FakePolicyRunner()
        runner.clock = clock
        runner.duration = 50_000_000
        let inference = InferenceLoop(runner: runner, frames: frames, instructions: instructions, scheduler: scheduler,
                                      statistics: statistics, clock: clock, reports: publisher, cameraTopic: "/camera/image_raw",
                                      logger: quiet)
        let sink = RacingSink(publisher)
        let control = try ControlLoop(
            ticker: FixedRateTicker(periodNanoseconds: period, clock: clock, start: start), scheduler: scheduler,
            statistics: statistics, actions: sink, frames: frames, summaryIntervalNanoseconds: 1_000 * period,
            onSummary: { _ in }, logger: quiet)
        try InstructionIngress(mailbox: instructions, scheduler: scheduler, counters: statistics.counters).receive("pick")
        frames.put(ObservedFrame(message: [7], receivedAt: start))

        var raced: InferenceLoop.Step?
        sink.race = { raced = inference.step(waitingUpTo: 0) }
        let first = control.step()
        XCTAssertEqual(first.outcome, .deadlineMiss(.noChunk), "decided before the chunk existed")
        guard case .inferred(let report)? = raced, report.outcome == .accepted else { return XCTFail("\(String(describing: raced))") }
        XCTAssertTrue(try topics(receiver).isEmpty, "the report must not go out at the end of the tick that missed")

        guard case .publish(let scheduled) = control.step().outcome else { return XCTFail("the second tick publishes") }
        XCTAssertEqual(scheduled.inferenceSequence, report.sequence)
        XCTAssertEqual(try topics(receiver), ["/vla/action_chunk", "/vla/latency"])
    }

    private func topics(_ socket: Socket) throws -> [String] {
        var topics: [String] = []
        while let message = try socket.receiveIfAvailable() { topics.append(String(decoding: message[0], as: UTF8.self)) }
        return topics
    }
}
