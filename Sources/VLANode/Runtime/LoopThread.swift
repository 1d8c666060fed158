import Foundation

/// A dedicated thread that repeats one step until stopped (not a Swift-concurrency task: a multi-second
/// inference must not hold a cooperative-pool thread, style-perf B5).
final class LoopThread: @unchecked Sendable {
    private let stopRequested = Locked(false)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Locked(false)

    /// Starts `step` on a new thread named `name`; it runs until `requestStop` (at most once per object).
    func start(name: String, step: @escaping @Sendable () -> Void) {
        let isFirstStart = started.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        guard isFirstStart else { return }
        let thread = Thread { [self] in
            while !stopRequested.withLock({ $0 }) { step() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to stop after its current step.
    func requestStop() {
        stopRequested.withLock { $0 = true }
    }

    /// Waits up to `timeout` seconds for the thread to finish; true if it did (or never started).
    func waitUntilFinished(timeout: TimeInterval) -> Bool {
        guard started.withLock({ $0 }) else { return true }
        guard finished.wait(timeout: .now() + timeout) == .success else { return false }
        finished.signal()  // later waits return at once
        return true
    }
}
