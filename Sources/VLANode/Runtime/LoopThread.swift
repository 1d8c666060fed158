import Foundation

/// A dedicated thread that repeats one step until stopped (not a Swift-concurrency task: a multi-second
/// inference must not hold a cooperative-pool thread).
final class LoopThread: @unchecked Sendable {
    private let stopRequested = Locked(false)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Locked(false)

    /// Starts `step` on a new thread named `name`; it runs until `requestStop` (at most once per object),
    /// then `finally` runs on the same thread (to close what the thread owns). `prepare` runs once on
    /// the thread before the first step (e.g. to set its priority).
    func start(name: String, prepare: (@Sendable () -> Void)? = nil, step: @escaping @Sendable () -> Void,
               finally: (@Sendable () -> Void)? = nil) {
        let isFirstStart = started.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        guard isFirstStart else { return }
        let thread = Thread { [self] in
            prepare?()
            while !isStopRequested { step() }
            finally?()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to stop after its current step.
    func requestStop() {
        stopRequested.withLock { $0 = true }
    }

    /// Whether `requestStop` has been called.
    var isStopRequested: Bool {
        stopRequested.withLock { $0 }
    }

    /// Waits up to `timeout` seconds for the thread to finish; true if it did (or never started).
    func waitUntilFinished(timeout: TimeInterval) -> Bool {
        guard started.withLock({ $0 }) else { return true }
        guard finished.wait(timeout: .now() + timeout) == .success else { return false }
        finished.signal()  // later waits return at once
        return true
    }
}
