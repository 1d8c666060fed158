import XCTest
@testable import VLANode

final class LatestValueMailboxTests: XCTestCase {
    func testTakeReturnsOnlyTheNewestAndCountsSkipped() {
        let mailbox = LatestValueMailbox<String>()
        XCTAssertNil(mailbox.take())
        XCTAssertEqual(mailbox.put("a"), 1)
        XCTAssertEqual(mailbox.put("b"), 2)
        XCTAssertEqual(mailbox.put("c"), 3)
        XCTAssertEqual(mailbox.take(), Versioned(value: "c", sequence: 3))
        XCTAssertNil(mailbox.take(), "a value is taken once")
        XCTAssertEqual(mailbox.counts, MailboxCounts(received: 3, skipped: 2, taken: 1))
        mailbox.put("d")
        XCTAssertEqual(mailbox.take()?.value, "d")
        XCTAssertEqual(mailbox.counts.skipped, 2, "a taken value is not skipped")
    }

    func testLatestDoesNotConsume() {
        let mailbox = LatestValueMailbox<String>()
        XCTAssertNil(mailbox.latest())
        mailbox.put("pick up the cup")
        XCTAssertEqual(mailbox.latest()?.value, "pick up the cup")
        XCTAssertEqual(mailbox.latest()?.value, "pick up the cup")
        XCTAssertEqual(mailbox.take()?.sequence, 1)
        XCTAssertEqual(mailbox.latest()?.sequence, 1, "the instruction stays current after a take")
    }

    func testWaitingTakeReceivesAValuePutByAnotherThread() {
        let mailbox = LatestValueMailbox<Int>()
        let received = expectation(description: "received")
        Thread.detachNewThread {
            if mailbox.take(waitingUpTo: 10)?.value == 42 { received.fulfill() }
        }
        Thread.sleep(forTimeInterval: 0.02)
        mailbox.put(42)
        wait(for: [received], timeout: 10)
    }

    func testWaitingTakeTimesOutEmpty() {
        let mailbox = LatestValueMailbox<Int>()
        XCTAssertNil(mailbox.take(waitingUpTo: 0.01))
    }

    func testCloseWakesWaitersAndRefusesValues() {
        let mailbox = LatestValueMailbox<Int>()
        let woke = expectation(description: "woke")
        Thread.detachNewThread {
            if mailbox.take(waitingUpTo: 30) == nil { woke.fulfill() }
        }
        Thread.sleep(forTimeInterval: 0.02)
        mailbox.close()
        wait(for: [woke], timeout: 10)
        XCTAssertNil(mailbox.put(1))
        XCTAssertNil(mailbox.take())
    }

    func testConcurrentProducersAndConsumerAccountForEveryValue() {
        let mailbox = LatestValueMailbox<Int>()
        let perProducer = 2_000
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker < 2 {
                for value in 0..<perProducer { mailbox.put(value) }
            } else {
                for _ in 0..<perProducer { _ = mailbox.take() }
            }
        }
        let counts = mailbox.counts
        let pending: UInt64 = mailbox.take() == nil ? 0 : 1
        XCTAssertEqual(counts.received, UInt64(2 * perProducer))
        XCTAssertEqual(counts.taken + counts.skipped + pending, counts.received)
    }
}
