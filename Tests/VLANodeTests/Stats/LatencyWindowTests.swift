import XCTest
@testable import VLANode

final class LatencyWindowTests: XCTestCase {
    func testNearestRankOnOneToHundred() throws {
        var window = try LatencyWindow(capacity: 100)
        for value in (1...100).shuffled() { window.record(Double(value)) }
        // rank ⌈p·n/100⌉ of 1…100 is p itself.
        XCTAssertEqual(window.summary(), LatencySummary(count: 100, p50: 50, p95: 95, p99: 99, max: 100))
        XCTAssertEqual(window.percentile(0), 1)
        XCTAssertEqual(window.percentile(100), 100)
        XCTAssertEqual(window.percentile(0.5), 1, "⌈0.5⌉ = 1")
        XCTAssertEqual(window.percentile(1.01), 2, "⌈1.01⌉ = 2")
        XCTAssertNil(window.percentile(101))
    }

    func testNearestRankOnTenSamplesPicksObservedValues() throws {
        var window = try LatencyWindow(capacity: 10)
        let values: [Double] = [12, 3, 7, 30, 18, 5, 9, 1, 25, 14]  // sorted: 1 3 5 7 9 12 14 18 25 30
        values.forEach { window.record($0) }
        XCTAssertEqual(window.percentile(50), 9, "rank ⌈5⌉ = 5")
        XCTAssertEqual(window.percentile(51), 12, "rank ⌈5.1⌉ = 6")
        XCTAssertEqual(window.percentile(95), 30, "rank ⌈9.5⌉ = 10")
        XCTAssertEqual(window.percentile(90), 25, "rank 9")
    }

    func testRollingWindowEvictsOldest() throws {
        var window = try LatencyWindow(capacity: 3)
        [100, 200, 1, 2, 3].forEach { window.record($0) }
        XCTAssertEqual(window.count, 3)
        XCTAssertEqual(window.summary()?.max, 3, "100 and 200 were evicted")
        XCTAssertEqual(window.percentile(50), 2)
    }

    func testWarmUpSamplesAreDiscardedAndRestartAfterReset() throws {
        var window = try LatencyWindow(capacity: 10, warmUpSamples: 2)
        [26_000, 9_000, 800, 820].forEach { window.record($0) }
        XCTAssertEqual(window.discardedWarmUp, 2)
        XCTAssertEqual(window.summary(), LatencySummary(count: 2, p50: 800, p95: 820, p99: 820, max: 820))
        window.reset()
        XCTAssertNil(window.summary())
        window.record(5_000)
        XCTAssertNil(window.summary(), "warm-up applies again after reset")
    }

    func testRefusesNonFiniteAndNegativeSamplesAndBadSettings() throws {
        var window = try LatencyWindow(capacity: 4)
        [.nan, .infinity, -1].forEach { window.record($0) }
        XCTAssertEqual(window.refused, 3)
        XCTAssertEqual(window.count, 0)
        XCTAssertThrowsError(try LatencyWindow(capacity: 0))
        XCTAssertThrowsError(try LatencyWindow(capacity: 4, warmUpSamples: -1))
    }

    func testHugeCapacityAllocatesOnlyForRecordedSamples() throws {
        var window = try LatencyWindow(capacity: .max)  // stats.window from a launch file; must not reserve it up front
        for sample in [3.0, 1.0, 2.0] { window.record(sample) }
        XCTAssertEqual(window.count, 3)
        XCTAssertEqual(window.summary(), LatencySummary(count: 3, p50: 2, p95: 3, p99: 3, max: 3))
    }
}
