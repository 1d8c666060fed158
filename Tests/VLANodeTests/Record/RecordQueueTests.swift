import XCTest
@testable import VLANode

final class RecordQueueTests: XCTestCase {
    private func record(_ bytes: Int, time: UInt64 = 0) -> PendingRecord {
        PendingRecord(frames: [Array("/t".utf8), [UInt8](repeating: 1, count: bytes - 2)], time: time)
    }

    func testBoundCountsBytesAndRefusesWhatDoesNotFit() {
        let queue = RecordQueue(capacityBytes: 100)
        XCTAssertEqual(queue.offer(record(60, time: 1)), .queued)
        XCTAssertEqual(queue.offer(record(41)), .full, "60 + 41 > 100")
        XCTAssertEqual(queue.offer(record(40, time: 2)), .queued, "exactly at the bound")
        XCTAssertEqual(queue.byteCount, 100)
        XCTAssertEqual(queue.offer(record(101)), .full)
        XCTAssertEqual(queue.take(waitingUpTo: 0)?.time, 1)
        XCTAssertEqual(queue.byteCount, 40)
        XCTAssertEqual(queue.offer(record(60, time: 3)), .queued, "taking frees its bytes")
        XCTAssertEqual([queue.take(waitingUpTo: 0)?.time, queue.take(waitingUpTo: 0)?.time], [2, 3], "first in, first out")
        XCTAssertNil(queue.take(waitingUpTo: 0))
    }

    func testClosedQueueRefusesNewMessagesButHandsOutTheQueuedOnes() {
        let queue = RecordQueue(capacityBytes: 1000)
        XCTAssertEqual(queue.offer(record(10, time: 7)), .queued)
        queue.close()
        XCTAssertEqual(queue.offer(record(10)), .closed)
        XCTAssertFalse(queue.isDrained)
        XCTAssertEqual(queue.take(waitingUpTo: 10)?.time, 7)
        XCTAssertTrue(queue.isDrained)
        XCTAssertNil(queue.take(waitingUpTo: 10), "returns at once once closed and empty")
    }

    func testConcurrentProducersLoseNothingThatWasQueued() {
        let queue = RecordQueue(capacityBytes: 1 << 20)
        DispatchQueue.concurrentPerform(iterations: 4) { producer in
            for index in 0..<250 { XCTAssertEqual(queue.offer(record(10, time: UInt64(producer * 1000 + index))), .queued) }
        }
        queue.close()
        var times: [UInt64] = []
        while let next = queue.take(waitingUpTo: 0) { times.append(next.time) }
        XCTAssertEqual(times.count, 1000)
        for producer in 0..<4 {
            let own = times.filter { $0 / 1000 == UInt64(producer) }
            XCTAssertEqual(own, own.sorted(), "each producer's messages keep their order")
        }
    }
}
