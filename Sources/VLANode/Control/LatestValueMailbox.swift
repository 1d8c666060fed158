import Foundation

/// A value with the sequence number the mailbox gave it (1, 2, 3, … in arrival order).
public struct Versioned<Value> {
    /// The stored value.
    public let value: Value
    /// Its arrival number, starting at 1.
    public let sequence: UInt64
}

extension Versioned: Sendable where Value: Sendable {}
extension Versioned: Equatable where Value: Equatable {}

/// Counters of a mailbox.
public struct MailboxCounts: Equatable, Sendable {
    /// Values put.
    public var received: UInt64 = 0
    /// Values overwritten before anyone took them (stale frames the inference thread never saw).
    public var skipped: UInt64 = 0
    /// Values taken.
    public var taken: UInt64 = 0
}

/// A single-slot, latest-value mailbox shared between threads.
///
/// The ingress thread `put`s every arriving value; the newest replaces an untaken older one (counted as
/// skipped). For frames, the inference thread `take`s — consuming the value, waiting if there is none —
/// so it always works on the newest frame and never twice on the same one. For the instruction, readers
/// use `latest()`, which does not consume: the current instruction stays valid until replaced.
public final class LatestValueMailbox<Value>: @unchecked Sendable {
    private struct State {
        var slot: Versioned<Value>?
        var latest: Versioned<Value>?
        var counts = MailboxCounts()
        var closed = false
    }

    private let condition = NSCondition()
    private var state = State()

    /// Creates an empty mailbox.
    public init() {}

    /// Stores `value` as the newest and wakes a waiting `take`. Returns the value's sequence number,
    /// or nil if the mailbox is closed (the value is dropped).
    @discardableResult
    public func put(_ value: Value) -> UInt64? {
        condition.lock()
        defer { condition.unlock() }
        guard !state.closed else { return nil }
        if state.slot != nil { state.counts.skipped += 1 }
        state.counts.received += 1
        let entry = Versioned(value: value, sequence: state.counts.received)
        state.slot = entry
        state.latest = entry
        condition.signal()
        return entry.sequence
    }

    /// Takes the newest untaken value, or returns nil at once if there is none.
    public func take() -> Versioned<Value>? {
        condition.lock()
        defer { condition.unlock() }
        return takeLocked()
    }

    /// Takes the newest untaken value, waiting up to `timeout` seconds for one to arrive.
    /// Returns nil on timeout or once the mailbox is closed.
    public func take(waitingUpTo timeout: TimeInterval) -> Versioned<Value>? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while state.slot == nil, !state.closed {
            guard condition.wait(until: deadline) else { break }
        }
        return takeLocked()
    }

    /// The most recent value put, taken or not (nil before the first `put`).
    public func latest() -> Versioned<Value>? {
        condition.lock()
        defer { condition.unlock() }
        return state.latest
    }

    /// The counters so far.
    public var counts: MailboxCounts {
        condition.lock()
        defer { condition.unlock() }
        return state.counts
    }

    /// Refuses further values and wakes every waiting `take` (used at shutdown).
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        state.closed = true
        condition.broadcast()
    }

    private func takeLocked() -> Versioned<Value>? {
        guard !state.closed, let entry = state.slot else { return nil }
        state.slot = nil
        state.counts.taken += 1
        return entry
    }
}
