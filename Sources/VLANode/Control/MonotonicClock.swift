#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monotonic timeline in nanoseconds, the time base of the control loop and the action scheduler.
/// Tests substitute a manual clock; the node uses `SystemMonotonicClock`.
public protocol MonotonicClock: Sendable {
    /// The current time in nanoseconds on a timeline that never goes backwards.
    func now() -> UInt64
    /// Blocks the calling thread until `now() >= deadline` (returns at once for a past deadline).
    func sleep(until deadline: UInt64)
}

/// `CLOCK_MONOTONIC`, sleeping to absolute deadlines (`clock_nanosleep` with `TIMER_ABSTIME` on Linux),
/// so wake-up errors never accumulate into drift.
public struct SystemMonotonicClock: MonotonicClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    public func sleep(until deadline: UInt64) {
        #if os(Linux)
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        // clock_nanosleep returns EINTR when a signal arrives; the absolute deadline makes retrying exact.
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
        #else
        while true {
            let current = now()
            guard current < deadline else { return }
            let remaining = deadline - current
            var request = timespec(tv_sec: Int(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
            nanosleep(&request, nil)
        }
        #endif
    }
}
