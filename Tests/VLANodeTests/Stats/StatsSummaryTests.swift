import XCTest
@testable import VLANode

final class StatsSummaryTests: XCTestCase {
    func testSummaryLineReportsPercentilesAndCounters() throws {
        let stats = try NodeStatistics(windowCapacity: 100, inferenceWarmUp: 1, jitterWarmUp: 0)
        stats.recordInference(milliseconds: 30_000)  // cold start, discarded
        for value in 1...100 { stats.recordInference(milliseconds: Double(value)) }
        stats.recordTickJitter(nanoseconds: 250_000)
        stats.recordTickJitter(nanoseconds: 1_500_000)
        stats.recordIngress(milliseconds: 0.5)
        stats.recordOverhead(milliseconds: 99)  // the first is warm-up, like the inference latency
        stats.recordOverhead(milliseconds: 120)
        stats.counters.increment(.inferences, by: 100)
        stats.counters.increment(.ticks, by: 300)
        stats.counters.increment(.published, by: 250)
        stats.counters.increment(.deadlineMisses, by: 50)
        stats.counters.increment(.instructionsAccepted)
        stats.counters.increment(.recorderDrops, by: 4)
        stats.counters.increment(.episodeResets, by: 2)
        stats.counters.increment(.disconnects, by: 3)
        stats.counters.increment(.reconnects)
        stats.counters.recordMalformed(topic: "/instruction")
        stats.counters.recordMalformed(topic: "/camera/image_raw")
        stats.counters.recordMalformed(topic: "/camera/image_raw")
        let summary = stats.summary(frames: MailboxCounts(received: 120, skipped: 108, taken: 12))
        XCTAssertEqual(summary.inference, LatencySummary(count: 100, p50: 50, p95: 95, p99: 99, max: 100))
        XCTAssertEqual(summary.tickJitter?.max, 1.5)
        XCTAssertEqual(summary.line, [
            "infer_ms n=100 p50=50.00 p95=95.00 p99=99.00 max=100.00",
            "jitter_ms n=2 p50=0.25 p95=1.50 p99=1.50 max=1.50",
            "ingress_ms n=1 p50=0.50 p95=0.50 p99=0.50 max=0.50",
            "overhead_ms n=1 p50=120.00 p95=120.00 p99=120.00 max=120.00",
            "frames rx=120 skipped=108",
            "inferences=100 failed=0 rejected=0",
            "ticks=300 published=250 misses=50 overruns=0",
            "instructions ok=1 rejected=0 resets=2",
            "malformed /camera/image_raw=2 /instruction=1",
            "connections lost=3 reconnected=1",
            "recorder_drops=4",
        ].joined(separator: " | "))
    }

    func testEmptySummaryLine() throws {
        let stats = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        let line = stats.summary(frames: MailboxCounts()).line
        XCTAssertTrue(line.hasPrefix("infer_ms n=0 | jitter_ms n=0 | ingress_ms n=0 | overhead_ms n=0 | frames rx=0 skipped=0"), line)
        XCTAssertTrue(line.hasSuffix("malformed none | connections lost=0 reconnected=0 | recorder_drops=0"), line)
    }

    func testCountersAreThreadSafe() {
        let counters = NodeCounters()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<1_000 {
                counters.increment(.ticks)
                counters.recordMalformed(topic: "/instruction")
            }
        }
        XCTAssertEqual(counters.snapshot()[.ticks], 4_000)
        XCTAssertEqual(counters.snapshot().malformedByTopic["/instruction"], 4_000)
    }

    func testPeriodicTriggerFiresOncePerIntervalAndCollapsesMissedOnes() throws {
        var trigger = try PeriodicTrigger(intervalNanoseconds: 10, start: 100)
        XCTAssertFalse(trigger.isDue(at: 105))
        XCTAssertTrue(trigger.isDue(at: 110))
        XCTAssertFalse(trigger.isDue(at: 115))
        XCTAssertTrue(trigger.isDue(at: 147), "due at 120; 130 and 140 collapse into this one")
        XCTAssertFalse(trigger.isDue(at: 149))
        XCTAssertTrue(trigger.isDue(at: 150))
        XCTAssertThrowsError(try PeriodicTrigger(intervalNanoseconds: 0, start: 0))
    }

    func testPeriodicTriggerWithAnIntervalBeyondTheClockNeverFiresAndDoesNotTrap() throws {
        var trigger = try PeriodicTrigger(intervalNanoseconds: .max, start: 5_000_000_000)
        XCTAssertFalse(trigger.isDue(at: 1 << 62))
        var late = try PeriodicTrigger(intervalNanoseconds: 1 << 63, start: 1 << 62)
        XCTAssertTrue(late.isDue(at: .max - 1), "due at 3·2^62")
        XCTAssertFalse(late.isDue(at: .max - 1), "the next due time saturates at UInt64.max")
    }
}
