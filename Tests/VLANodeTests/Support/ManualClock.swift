import Foundation
@testable import VLANode

/// A monotonic clock driven by the test: `sleep(until:)` jumps to the deadline plus an injected
/// wake-up lateness; `advance` simulates work between ticks.
final class ManualClock: MonotonicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64
    private var latenesses: [UInt64] = []
    private(set) var sleepDeadlines: [UInt64] = []

    init(start: UInt64) {
        current = start
    }

    func now() -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        return current
    }

    func sleep(until deadline: UInt64) {
        lock.lock(); defer { lock.unlock() }
        sleepDeadlines.append(deadline)
        let lateness = latenesses.isEmpty ? 0 : latenesses.removeFirst()
        current = max(current, deadline) + lateness
    }

    /// The next sleeps wake this many nanoseconds after their deadlines, in order.
    func injectWakeLateness(_ values: [UInt64]) {
        lock.lock(); defer { lock.unlock() }
        latenesses.append(contentsOf: values)
    }

    func advance(by nanoseconds: UInt64) {
        lock.lock(); defer { lock.unlock() }
        current += nanoseconds
    }
}
