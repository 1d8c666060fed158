import Foundation
import XCTest
@testable import VLANode

final class ThreadNicenessTests: XCTestCase {
    func testNicenessIsPerThread() {
        let before = ThreadNiceness.current
        let result = Locked<(set: Bool, value: Int32)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let set = ThreadNiceness.set(before + 5)
            result.withLock { $0 = (set, ThreadNiceness.current) }
            done.signal()
        }.start()
        done.wait()
        let seen = result.withLock { $0 }
        XCTAssertEqual(seen?.set, true, "raising the niceness needs no privilege")
        XCTAssertEqual(seen?.value, before + 5)
        XCTAssertEqual(ThreadNiceness.current, before, "other threads keep theirs")
    }
}
