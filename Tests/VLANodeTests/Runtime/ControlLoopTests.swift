import XCTest
@testable import VLANode

final class ControlLoopTests: XCTestCase {
    private let period: UInt64 = 200_000_000
    private let start: UInt64 = 5_000_000_000

    private func makeLoop(clock: ManualClock, scheduler: ActionScheduler, sink: CollectingSink, statistics: NodeStatistics,
                          summaryEvery: UInt64 = 1_000, onSummary: @escaping (StatsSummary) -> Void = { _ in }) throws -> ControlLoop {
        let ticker = try FixedRateTicker(periodNanoseconds: period, clock: clock, start: start)
        return try ControlLoop(ticker: ticker, scheduler: scheduler, statistics: statistics, actions: sink,
                               frames: LatestValueMailbox(), summaryIntervalNanoseconds: summaryEvery * period,
                               onSummary: onSummary)
    }

    func testPublishesTheChunkAdvancedTickByTickThenMisses() throws {
        let clock = ManualClock(start: start)
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        let statistics = try NodeStatistics(windowCapacity: 50, inferenceWarmUp: 0, jitterWarmUp: 0)
        let sink = CollectingSink()
        let loop = try makeLoop(clock: clock, scheduler: scheduler, sink: sink, statistics: statistics)
        let actions = (0..<4).map { k in [Float(k), 0, 0, 0, 0, 0, 1] }
        try scheduler.submit(StampedChunk(observationTime: start, actions: actions, instructionSequence: 0))
        for _ in 0..<6 { loop.step() }
        XCTAssertEqual(sink.actions.map(\.droppedActions), [0, 1, 2, 3])
        XCTAssertEqual(sink.actions.map(\.tickTime), (0..<4).map { start + UInt64($0) * period })
        XCTAssertEqual(sink.actions.map { $0.actions.count }, [4, 4, 4, 4])
        XCTAssertEqual(sink.actions.map(\.currentIndex), [0, 1, 2, 3])
        let counters = statistics.counters.snapshot()
        XCTAssertEqual(counters[.ticks], 6)
        XCTAssertEqual(counters[.published], 4)
        XCTAssertEqual(counters[.deadlineMisses], 2)
    }

    func testJitterOverrunAndSinkFailuresAreRecorded() throws {
        let clock = ManualClock(start: start)
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        let statistics = try NodeStatistics(windowCapacity: 50, inferenceWarmUp: 0, jitterWarmUp: 0)
        let sink = CollectingSink()
        let loop = try makeLoop(clock: clock, scheduler: scheduler, sink: sink, statistics: statistics)
        loop.step()
        clock.injectWakeLateness([3_000_000])
        XCTAssertEqual(loop.step().tick.jitterNanoseconds, 3_000_000)
        clock.advance(by: 3 * period)
        XCTAssertEqual(loop.step().tick.skippedTicks, 2)
        try scheduler.submit(StampedChunk(observationTime: clock.now(), actions: [[1, 2], [3, 4]], instructionSequence: 0))
        sink.failing = true
        guard case .publish = loop.step().outcome else { return XCTFail() }
        let counters = statistics.counters.snapshot()
        XCTAssertEqual(counters[.skippedTicks], 2)
        XCTAssertEqual(counters[.publishFailures], 1)
        XCTAssertEqual(counters[.published], 0)
        XCTAssertEqual(statistics.summary(frames: MailboxCounts()).tickJitter?.max, 3)
    }

    func testSummaryIsEmittedOncePerInterval() throws {
        let clock = ManualClock(start: start)
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        let statistics = try NodeStatistics(windowCapacity: 50, inferenceWarmUp: 0, jitterWarmUp: 0)
        var summaries: [StatsSummary] = []
        let loop = try makeLoop(clock: clock, scheduler: scheduler, sink: CollectingSink(), statistics: statistics,
                                summaryEvery: 3, onSummary: { summaries.append($0) })
        for _ in 0..<10 { loop.step() }  // ticks 0…9: due at ticks 3, 6 and 9
        XCTAssertEqual(summaries.map { $0.counters[.ticks] }, [4, 7, 10])
        XCTAssertEqual(summaries.last?.counters[.deadlineMisses], 10)
    }

    func testDedicatedThreadStops() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: 1_000_000)
        let statistics = try NodeStatistics(windowCapacity: 50, inferenceWarmUp: 0, jitterWarmUp: 0)
        let ticker = try FixedRateTicker(periodNanoseconds: 1_000_000, clock: SystemMonotonicClock())
        let loop = try ControlLoop(ticker: ticker, scheduler: scheduler, statistics: statistics, actions: CollectingSink(),
                                   frames: LatestValueMailbox(), summaryIntervalNanoseconds: 1_000_000_000, onSummary: { _ in })
        loop.start()
        while statistics.counters.snapshot()[.ticks] < 3 { Thread.sleep(forTimeInterval: 0.001) }
        XCTAssertTrue(loop.stop(timeout: 10))
        let ticks = statistics.counters.snapshot()[.ticks]
        Thread.sleep(forTimeInterval: 0.01)
        XCTAssertEqual(statistics.counters.snapshot()[.ticks], ticks, "no ticks after stop")
    }
}
