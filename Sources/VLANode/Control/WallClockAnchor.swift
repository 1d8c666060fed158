import Foundation
import Messages

/// Maps monotonic times (the control loop's time base) to wall-clock times (ROS message stamps):
/// one reading of both clocks taken at start-up, so stamps stay evenly spaced even if NTP steps the
/// wall clock later.
public struct WallClockAnchor: Equatable, Sendable {
    /// The monotonic time of the anchor reading, in nanoseconds.
    public let monotonic: UInt64
    /// The wall-clock time of the same reading, in nanoseconds since the Unix epoch.
    public let wallNanoseconds: Int64

    /// Creates an anchor from a pair of readings.
    public init(monotonic: UInt64, wallNanoseconds: Int64) {
        self.monotonic = monotonic
        self.wallNanoseconds = wallNanoseconds
    }

    /// Reads `clock` and the system wall clock now.
    public init(clock: any MonotonicClock) {
        self.init(monotonic: clock.now(), wallNanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
    }

    /// The wall-clock time, in nanoseconds since the Unix epoch, of a monotonic time.
    public func wallNanoseconds(atMonotonic time: UInt64) -> Int64 {
        wallNanoseconds &+ Int64(bitPattern: time &- monotonic)
    }

    /// The same time as a ROS `builtin_interfaces/Time` (seconds floored, nanosec in [0, 1e9)): the
    /// stamp of the messages the node publishes.
    public func rosTime(atMonotonic time: UInt64) -> Time {
        Time(nanoseconds: wallNanoseconds(atMonotonic: time))
    }
}
