import XCTest
@testable import VLANode

/// The rule that keeps every latency report after the chunk it describes (README "How it runs").
final class LatencyReportQueueTests: XCTestCase {
    private func report(_ sequence: UInt64, _ outcome: InferenceOutcome = .accepted) -> InferenceReport {
        InferenceReport(sequence: sequence, frameSequence: sequence, instructionSequence: 1, observationTime: 0,
                        startTime: 0, endTime: 0, stages: [], chunkLength: 16, outcome: outcome)
    }

    private func published(_ inference: UInt64) -> TickOutcome {
        .publish(ScheduledActions(tickTime: 0, actions: [[0]], droppedActions: 0, contributingChunks: 1, observationTime: 0,
                                  inferenceSequence: inference, observationStamp: nil))
    }

    /// One tick: decided, then (optionally) a report arrives during the decision, then the tick ends.
    private func tick(_ queue: inout LatencyReportQueue, _ outcome: TickOutcome,
                      queuedDuringDecision: InferenceReport? = nil) -> [UInt64] {
        queue.tickDeciding()
        if let queuedDuringDecision { queue.append(queuedDuringDecision) }
        return queue.release(after: outcome).map(\.sequence)
    }

    func testAReportQueuedWhileTheTickIsDecidedWaitsForTheTickThatPublishesItsChunk() {
        var queue = LatencyReportQueue()
        // The tick saw no chunk; inference 1 submitted its chunk and queued its report in between.
        XCTAssertEqual(tick(&queue, .deadlineMiss(.noChunk), queuedDuringDecision: report(1)), [])
        XCTAssertEqual(tick(&queue, published(1)), [1])
        XCTAssertEqual(queue.count, 0)
    }

    func testAnAcceptedReportWaitsUntilItsChunkOrANewerOneIsPublished() {
        var queue = LatencyReportQueue()
        queue.append(report(3))
        XCTAssertEqual(tick(&queue, published(2)), [], "an ensemble tick that still publishes from an older chunk")
        XCTAssertEqual(tick(&queue, .deadlineMiss(.chunkNotYetValid)), [], "the chunk starts after this tick")
        queue.append(report(4))
        XCTAssertEqual(tick(&queue, published(4)), [3, 4], "superseded: the first chunk at or after it releases it")
    }

    func testAnAcceptedReportWhoseChunkCanNeverBePublishedGoesAtTheMissThatSawIt() {
        var queue = LatencyReportQueue()
        queue.append(report(1))
        XCTAssertEqual(tick(&queue, .deadlineMiss(.chunkExhausted)), [1], "the chunk ran out before any tick")
        queue.append(report(2))
        XCTAssertEqual(tick(&queue, .deadlineMiss(.noChunk)), [2], "a new instruction cleared the chunk")
    }

    func testRefusedAndFailedReportsGoAtTheNextTickEndButKeepInferenceOrder() {
        var queue = LatencyReportQueue()
        queue.append(report(1, .failed("engine")))
        queue.append(report(2, .rejected(.staleInstruction(chunk: 1, current: 2))))
        XCTAssertEqual(tick(&queue, .deadlineMiss(.chunkNotYetValid)), [1, 2])
        queue.append(report(3))
        queue.append(report(4, .malformedFrame("bad")))
        XCTAssertEqual(tick(&queue, .deadlineMiss(.chunkNotYetValid)), [], "4 stays behind the waiting 3")
        XCTAssertEqual(tick(&queue, published(3)), [3, 4])
    }

    func testReleaseAllEmptiesTheQueueInOrder() {
        var queue = LatencyReportQueue()
        queue.append(report(1))
        queue.append(report(2, .failed("x")))
        XCTAssertEqual(queue.releaseAll().map(\.sequence), [1, 2])
        XCTAssertEqual(queue.count, 0)
        XCTAssertEqual(tick(&queue, published(9)), [])
    }
}
