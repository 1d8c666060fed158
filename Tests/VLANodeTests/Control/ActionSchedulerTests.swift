import Inference
import XCTest
@testable import VLANode

final class ActionSchedulerTests: XCTestCase {
    private let period: UInt64 = 100_000_000  // 10 Hz
    private let observed: UInt64 = 50_000_000_000

    /// A chunk whose row k is [base + k, base + k + 0.1, …, gripper 1]: each row names its index.
    private func chunk(_ base: Float = 0, rows: Int = 16) -> [[Float]] {
        (0..<rows).map { k in (0..<6).map { base + Float(k) + Float($0) / 10 } + [1] }
    }

    private func at(_ periods: Double, from origin: UInt64? = nil) -> UInt64 {
        UInt64(Double(origin ?? observed) + periods * Double(period))
    }

    private func published(_ outcome: TickOutcome, file: StaticString = #filePath, line: UInt = #line) -> ScheduledActions? {
        guard case .publish(let actions) = outcome else {
            XCTFail("expected actions, got \(outcome)", file: file, line: line)
            return nil
        }
        return actions
    }

    /// Aggregation keyed by time step: the second chunk, observed 2.4 periods after the first, lines
    /// its row k up with the plan's row k + 2 (nearest step); those rows become old·0.3 + new·0.7 and
    /// count two contributions, the new chunk's last two rows are taken as they are.
    func testAggregationMergesOverlappingStepsOfTheNewChunkIntoThePlan() throws {
        let scheduler = try ActionScheduler(policy: .aggregate(.weightedAverage(newWeight: 0.7)), periodNanoseconds: period)
        let first = chunk(0, rows: 6), second = chunk(100, rows: 6)
        try scheduler.submit(StampedChunk(observationTime: observed, actions: first, instructionSequence: 0, inferenceSequence: 1))
        XCTAssertEqual(try XCTUnwrap(published(scheduler.outcome(at: at(1)))).actions, first)
        let later = at(2.4)
        try scheduler.submit(StampedChunk(observationTime: later, actions: second, instructionSequence: 0, inferenceSequence: 2))
        let result = try XCTUnwrap(published(scheduler.outcome(at: at(1, from: later))))
        for row in 0..<6 {
            let expected = row + 2 < 6 ? zip(first[row + 2], second[row]).map { $0 * 0.3 + $1 * 0.7 } : second[row]
            for (value, want) in zip(result.actions[row], expected) { XCTAssertEqual(value, want, accuracy: 1e-4, "row \(row)") }
        }
        XCTAssertEqual(result.currentIndex, 1)
        XCTAssertEqual(result.contributingChunks, 2)
        XCTAssertEqual(result.inferenceSequence, 2)
        XCTAssertEqual(result.observationTime, later)
        XCTAssertEqual(try XCTUnwrap(published(scheduler.outcome(at: at(4.6, from: later)))).contributingChunks, 1, "row 5: new chunk only")
        XCTAssertThrowsError(try ActionScheduler(policy: .aggregate(.weightedAverage(newWeight: 2)), periodNanoseconds: period))
    }

    func testAggregationVariantsAndReset() throws {
        for (rule, weight) in [(AggregationRule.latestOnly, Float(1)), (.average, 0.5)] {
            let scheduler = try ActionScheduler(policy: .aggregate(rule), periodNanoseconds: period)
            try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(0, rows: 4), instructionSequence: 0))
            try scheduler.submit(StampedChunk(observationTime: at(1), actions: chunk(10, rows: 4), instructionSequence: 0))
            let row0 = try XCTUnwrap(published(scheduler.outcome(at: at(1)))).actions[0]
            XCTAssertEqual(row0[0], 1 * (1 - weight) + 10 * weight, accuracy: 1e-5, rule.name)
            scheduler.resetEpisode(at: at(2))
            XCTAssertEqual(scheduler.outcome(at: at(2)), .deadlineMiss(.noChunk))
            try scheduler.submit(StampedChunk(observationTime: at(3), actions: chunk(20, rows: 4), instructionSequence: 0, episode: 1))
            let fresh = try XCTUnwrap(published(scheduler.outcome(at: at(3))))
            XCTAssertEqual(fresh.actions, chunk(20, rows: 4), "the reset dropped the plan")
            XCTAssertEqual(fresh.contributingChunks, 1)
        }
    }

    func testChunkingDropsActionsScheduledBeforeHalfAPeriodAgo() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        let actions = chunk()
        try scheduler.submit(StampedChunk(observationTime: observed, actions: actions, instructionSequence: 0))
        // (tick offset in periods, index of "now"): index = ceil(offset − 1/2) for offset > 1/2, else 0.
        let cases: [(Double, Int)] = [(0, 0), (0.4, 0), (0.5, 0), (0.6, 1), (3, 3), (3.49, 3), (3.51, 4), (15, 15), (15.5, 15)]
        for (offset, index) in cases {
            let result = try XCTUnwrap(published(scheduler.outcome(at: at(offset))))
            XCTAssertEqual(result.droppedActions, index, "offset \(offset)")
            XCTAssertEqual(result.actions, actions, "offset \(offset)")  // the whole chunk, "now" at currentIndex
            XCTAssertEqual(result.currentIndex, index, "offset \(offset)")
            XCTAssertEqual(result.tickTime, at(offset))
            XCTAssertEqual(result.observationTime, observed)
            XCTAssertEqual(result.contributingChunks, 1)
        }
    }

    func testChunkCoversTicksUpToHalfAPeriodBeforeItsObservation() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(), instructionSequence: 0))
        XCTAssertEqual(try XCTUnwrap(published(scheduler.outcome(at: at(-0.4)))).droppedActions, 0)
        XCTAssertEqual(scheduler.outcome(at: at(-0.5)), .deadlineMiss(.chunkNotYetValid))
        XCTAssertEqual(scheduler.outcome(at: at(-3)), .deadlineMiss(.chunkNotYetValid))
    }

    func testMissesWhenNothingOrAnExhaustedChunkCoversTheTick() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        XCTAssertEqual(scheduler.outcome(at: observed), .deadlineMiss(.noChunk))
        try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(), instructionSequence: 0))
        XCTAssertEqual(scheduler.outcome(at: at(15.51)), .deadlineMiss(.chunkExhausted))
        XCTAssertEqual(scheduler.outcome(at: at(40)), .deadlineMiss(.chunkExhausted))
    }

    func testNewestChunkWinsInChunkingMode() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(0), instructionSequence: 0))
        try scheduler.submit(StampedChunk(observationTime: at(5), actions: chunk(100), instructionSequence: 0))
        let result = try XCTUnwrap(published(scheduler.outcome(at: at(6))))
        XCTAssertEqual(result.observationTime, at(5))
        XCTAssertEqual(result.droppedActions, 1)
        XCTAssertEqual(result.actions[result.currentIndex], chunk(100)[1])
        XCTAssertEqual(scheduler.retainedChunkCount, 1)
        XCTAssertThrowsError(try scheduler.submit(StampedChunk(observationTime: at(5), actions: chunk(), instructionSequence: 0))) {
            XCTAssertEqual($0 as? ChunkRejection, .notNewer(observationTime: at(5), newest: at(5)))
        }
    }

    func testNewInstructionClearsHistoryAndRefusesChunksForTheOldOne() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(), instructionSequence: 0))
        scheduler.beginInstruction(sequence: 0)  // same instruction: history kept
        XCTAssertEqual(scheduler.retainedChunkCount, 1)
        scheduler.beginInstruction(sequence: 1)
        XCTAssertEqual(scheduler.outcome(at: observed), .deadlineMiss(.noChunk))
        XCTAssertThrowsError(try scheduler.submit(StampedChunk(observationTime: at(1), actions: chunk(), instructionSequence: 0))) {
            XCTAssertEqual($0 as? ChunkRejection, .staleInstruction(chunk: 0, current: 1))
        }
        try scheduler.submit(StampedChunk(observationTime: at(1), actions: chunk(), instructionSequence: 1))
        XCTAssertEqual(scheduler.retainedChunkCount, 1)
    }

    func testRefusesMalformedChunks() throws {
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: period)
        func rejection(_ actions: [[Float]]) -> ChunkRejection? {
            do {
                try scheduler.submit(StampedChunk(observationTime: observed, actions: actions, instructionSequence: 0))
                return nil
            } catch {
                return error as? ChunkRejection
            }
        }
        XCTAssertEqual(rejection([]), .empty)
        XCTAssertEqual(rejection([[1, 2], [3]]), .raggedRows)
        XCTAssertEqual(rejection([[]]), .raggedRows)
        XCTAssertEqual(rejection([[1, .infinity]]), .nonFinite)
        XCTAssertNil(rejection(chunk()))
        XCTAssertThrowsError(try scheduler.submit(StampedChunk(observationTime: at(1), actions: [[1, 2]], instructionSequence: 0))) {
            XCTAssertEqual($0 as? ChunkRejection, .widthChanged(expected: 7, found: 2))
        }
        XCTAssertThrowsError(try ActionScheduler(policy: .ensemble(alpha: 0.1, horizon: 0), periodNanoseconds: period))
        XCTAssertThrowsError(try ActionScheduler(policy: .chunking, periodNanoseconds: 0))
    }

    func testEnsembleTakesElementKOfTheChunkObservedKTicksAgo() throws {
        // α = 0: uniform weights, so the answer is the plain mean of the gathered rows.
        let scheduler = try ActionScheduler(policy: .ensemble(alpha: 0, horizon: 3), periodNanoseconds: period)
        let chunks = [chunk(0), chunk(100), chunk(200)]
        for (ticksAgo, actions) in zip([2.0, 1.0, 0.0], chunks) {
            try scheduler.submit(StampedChunk(observationTime: at(-ticksAgo), actions: actions, instructionSequence: 0))
        }
        let result = try XCTUnwrap(published(scheduler.outcome(at: observed)))
        let gathered = [chunks[0][2], chunks[1][1], chunks[2][0]]
        let mean = (0..<7).map { d in gathered.map { $0[d] }.reduce(0, +) / 3 }
        XCTAssertEqual(result.actions.count, 1)
        for (value, expected) in zip(result.actions[0], mean) { XCTAssertEqual(value, expected, accuracy: 1e-4) }
        XCTAssertEqual(result.contributingChunks, 3)
        XCTAssertEqual(result.droppedActions, 0)
        XCTAssertEqual(result.observationTime, observed)
    }

    func testEnsembleUsesNewestCoveringChunkAsReferenceAndOnlyTheNewestK() throws {
        let alpha = 5.0
        let scheduler = try ActionScheduler(policy: .ensemble(alpha: alpha, horizon: 2), periodNanoseconds: period)
        var rng = SystemRandomNumberGenerator()
        let chunks = (0..<3).map { _ in (0..<16).map { _ in (0..<7).map { _ in Float.random(in: -1...1, using: &rng) } } }
        for (ticksAgo, actions) in zip([3.0, 2.0, 1.0], chunks) {
            try scheduler.submit(StampedChunk(observationTime: at(-ticksAgo), actions: actions, instructionSequence: 0))
        }
        XCTAssertEqual(scheduler.retainedChunkCount, 2)
        let result = try XCTUnwrap(published(scheduler.outcome(at: observed)))
        let expected = try AdaptiveEnsemble.combine([chunks[1][2], chunks[2][1]], alpha: alpha)
        XCTAssertEqual(result.actions, [expected])
        XCTAssertEqual(result.contributingChunks, 2)
        XCTAssertEqual(result.droppedActions, 1)
    }

    func testEnsembleWithOneChunkPerTickReproducesCogACTsStatefulEnsemble() throws {
        // CogACT predicts once per control step; the scheduler must then agree with AdaptiveEnsemble.
        let (alpha, horizon) = (0.1, 7)
        let scheduler = try ActionScheduler(policy: .ensemble(alpha: alpha, horizon: horizon), periodNanoseconds: period)
        var reference = try AdaptiveEnsemble(alpha: alpha, horizon: horizon)
        var rng = SystemRandomNumberGenerator()
        for step in 0..<12 {
            let actions = (0..<16).map { _ in (0..<6).map { _ in Float.random(in: -0.05...0.05, using: &rng) } + [Float(Int.random(in: 0...1, using: &rng))] }
            let tickTime = at(Double(step))
            try scheduler.submit(StampedChunk(observationTime: tickTime, actions: actions, instructionSequence: 0))
            let expected = try reference.ensemble(adding: actions)
            let result = try XCTUnwrap(published(scheduler.outcome(at: tickTime)))
            XCTAssertEqual(result.contributingChunks, min(step + 1, horizon))
            for (value, want) in zip(try XCTUnwrap(result.actions.first), expected) {
                XCTAssertEqual(value, want, accuracy: 1e-6, "step \(step)")
            }
        }
    }

    func testEnsembleSkipsExhaustedChunksAndMissesWhenNoneCover() throws {
        let scheduler = try ActionScheduler(policy: .ensemble(alpha: 0.1, horizon: 2), periodNanoseconds: period)
        try scheduler.submit(StampedChunk(observationTime: at(-20), actions: chunk(0), instructionSequence: 0))
        try scheduler.submit(StampedChunk(observationTime: observed, actions: chunk(50), instructionSequence: 0))
        let result = try XCTUnwrap(published(scheduler.outcome(at: observed)))
        XCTAssertEqual(result.actions, [chunk(50)[0]])
        XCTAssertEqual(result.contributingChunks, 1)
        XCTAssertEqual(scheduler.outcome(at: at(30)), .deadlineMiss(.chunkExhausted))
        XCTAssertEqual(scheduler.outcome(at: at(-30)), .deadlineMiss(.chunkNotYetValid))
    }

    func testConcurrentSubmitAndTickKeepInvariants() throws {
        let scheduler = try ActionScheduler(policy: .ensemble(alpha: 0.1, horizon: 2), periodNanoseconds: period)
        let actions = chunk()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for step in 0..<500 {
                if worker == 0 {
                    try? scheduler.submit(StampedChunk(observationTime: at(Double(step)), actions: actions, instructionSequence: 0))
                } else {
                    _ = scheduler.outcome(at: at(Double(step)))
                }
            }
        }
        XCTAssertEqual(scheduler.retainedChunkCount, 2)
        XCTAssertEqual(try XCTUnwrap(published(scheduler.outcome(at: at(499)))).observationTime, at(499))
    }
}
