import XCTest
@testable import VLANode

final class InstructionIngressTests: XCTestCase {
    func testNewInstructionResetsHistoryAndRepeatsDoNot() throws {
        let mailbox = LatestValueMailbox<String>()
        let scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: 100)
        let counters = NodeCounters()
        let ingress = InstructionIngress(mailbox: mailbox, scheduler: scheduler, counters: counters)
        XCTAssertEqual(try ingress.receive("pick up the can"), .changed(sequence: 1))
        XCTAssertEqual(scheduler.instructionSequence, 1)
        try scheduler.submit(StampedChunk(observationTime: 10, actions: [[1]], instructionSequence: 1))
        XCTAssertEqual(try ingress.receive("  pick up the can\n"), .unchanged(sequence: 1), "a re-sent copy")
        XCTAssertEqual(scheduler.retainedChunkCount, 1)
        XCTAssertEqual(try ingress.receive("put it down"), .changed(sequence: 2))
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
        XCTAssertEqual(mailbox.latest()?.value, "put it down")
        XCTAssertThrowsError(try ingress.receive("   ")) { XCTAssertEqual($0 as? InstructionRejection, .whitespaceOnly) }
        XCTAssertEqual(mailbox.latest()?.value, "put it down", "a rejected instruction leaves the current one")
        XCTAssertEqual(counters.snapshot()[.instructionsAccepted], 2)
        XCTAssertEqual(counters.snapshot()[.instructionsRejected], 1)
    }
}
