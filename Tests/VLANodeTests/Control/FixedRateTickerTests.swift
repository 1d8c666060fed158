import XCTest
@testable import VLANode

final class FixedRateTickerTests: XCTestCase {
    private let period: UInt64 = 200_000_000  // 5 Hz
    private let start: UInt64 = 7_000_000_000

    func testTicksLandOnAbsoluteGridWithZeroJitterWhenWakeUpsArePunctual() throws {
        let clock = ManualClock(start: start)
        let ticker = try FixedRateTicker(periodNanoseconds: period, clock: clock)
        for n in 0..<5 {
            let tick = ticker.waitForNextTick()
            XCTAssertEqual(tick.index, UInt64(n))
            XCTAssertEqual(tick.scheduled, start + UInt64(n) * period)
            XCTAssertEqual(tick.jitterNanoseconds, 0)
            XCTAssertEqual(tick.skippedTicks, 0)
        }
    }

    func testLateWakeUpsAndWorkDoNotAccumulateDrift() throws {
        let clock = ManualClock(start: start)
        let ticker = try FixedRateTicker(periodNanoseconds: period, clock: clock)
        let lateness: [UInt64] = (0..<100).map { UInt64(($0 * 7_919) % 3_000_000) }  // 0–3 ms
        clock.injectWakeLateness(lateness)
        _ = ticker.waitForNextTick()  // tick 0 is at the start: no sleep, no lateness consumed
        for n in 1...100 {
            clock.advance(by: 50_000_000)  // 50 ms of work per tick
            let tick = ticker.waitForNextTick()
            XCTAssertEqual(tick.scheduled, start + UInt64(n) * period, "tick \(n) drifted")
            XCTAssertEqual(tick.jitterNanoseconds, Int64(lateness[n - 1]))
            XCTAssertEqual(clock.sleepDeadlines.last, tick.scheduled, "sleep must target the absolute deadline")
        }
    }

    func testOverrunSkipsWholeMissedPeriodsAndKeepsTheGrid() throws {
        let clock = ManualClock(start: start)
        let ticker = try FixedRateTicker(periodNanoseconds: period, clock: clock)
        _ = ticker.waitForNextTick()
        clock.advance(by: period * 7 / 2)  // 3.5 periods of work: deadlines 1, 2 and 3 have passed
        let late = ticker.waitForNextTick()
        XCTAssertEqual(late.index, 3)
        XCTAssertEqual(late.skippedTicks, 2)
        XCTAssertEqual(late.scheduled, start + 3 * period)
        XCTAssertEqual(late.jitterNanoseconds, Int64(period / 2))
        let next = ticker.waitForNextTick()
        XCTAssertEqual(next.index, 4)
        XCTAssertEqual(next.scheduled, start + 4 * period)
        XCTAssertEqual(next.skippedTicks, 0)
    }

    func testLateButWithinOnePeriodIsIssuedNotSkipped() throws {
        let clock = ManualClock(start: start)
        let ticker = try FixedRateTicker(periodNanoseconds: period, clock: clock)
        _ = ticker.waitForNextTick()
        clock.advance(by: period + period / 4)
        let tick = ticker.waitForNextTick()
        XCTAssertEqual(tick.index, 1)
        XCTAssertEqual(tick.skippedTicks, 0)
        XCTAssertEqual(tick.jitterNanoseconds, Int64(period / 4))
    }

    func testRateToPeriodAndInvalidRates() throws {
        XCTAssertEqual(try FixedRateTicker.period(rateHz: 5), 200_000_000)
        XCTAssertEqual(try FixedRateTicker.period(rateHz: 3), 333_333_333)
        XCTAssertEqual(try FixedRateTicker.period(rateHz: 1_000), 1_000_000)
        XCTAssertEqual(try FixedRateTicker.period(rateHz: 1e-9), 1_000_000_000_000_000_000)  // 1e9 s
        for bad in [0, -1, .nan, .infinity, 2e9, 1e-12, 1e-300] as [Double] {
            XCTAssertThrowsError(try FixedRateTicker.period(rateHz: bad)) { error in
                guard case .invalidRate = error as? ControlError else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try FixedRateTicker(periodNanoseconds: 0, clock: ManualClock(start: 0)))
    }

    func testSystemClockNeverWakesBeforeTheAbsoluteDeadline() throws {
        let clock = SystemMonotonicClock()
        let first = clock.now()
        let deadline = first + 2_000_000
        clock.sleep(until: deadline)
        XCTAssertGreaterThanOrEqual(clock.now(), deadline)
        clock.sleep(until: first)  // a past deadline returns at once
        let ticker = try FixedRateTicker(rateHz: 500, clock: clock)
        for _ in 0..<3 {
            let tick = ticker.waitForNextTick()  // a loaded machine may skip ticks, so use tick.index
            XCTAssertEqual(tick.scheduled, ticker.start + tick.index * ticker.periodNanoseconds)
            XCTAssertGreaterThanOrEqual(tick.actual, tick.scheduled)
        }
    }
}
