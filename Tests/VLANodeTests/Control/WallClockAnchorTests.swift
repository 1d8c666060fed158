import Messages
import XCTest
@testable import VLANode

final class WallClockAnchorTests: XCTestCase {
    func testMapsMonotonicOffsetsOntoTheWallClock() {
        let anchor = WallClockAnchor(monotonic: 10_000_000_000, wallNanoseconds: 1_700_000_000_123_456_789)
        XCTAssertEqual(anchor.wallNanoseconds(atMonotonic: 10_500_000_000), 1_700_000_000_623_456_789)
        XCTAssertEqual(anchor.wallNanoseconds(atMonotonic: 9_000_000_000), 1_699_999_999_123_456_789)
        XCTAssertEqual(anchor.rosTime(atMonotonic: 10_900_000_000), Time(sec: 1_700_000_001, nanosec: 23_456_789))
    }

    func testRosTimeFloorsNegativeTimes() {
        let anchor = WallClockAnchor(monotonic: 0, wallNanoseconds: -1)
        XCTAssertEqual(anchor.rosTime(atMonotonic: 0), Time(sec: -1, nanosec: 999_999_999))
    }

    func testSystemAnchorAgreesWithFoundationDate() {
        let clock = SystemMonotonicClock()
        let anchor = WallClockAnchor(clock: clock)
        let mapped = Double(anchor.wallNanoseconds(atMonotonic: clock.now())) / 1e9
        XCTAssertEqual(mapped, Date().timeIntervalSince1970, accuracy: 1.0)
    }
}
