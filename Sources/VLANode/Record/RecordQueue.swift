import Foundation

/// One message waiting for the bag writer: `[topic, CDR payload]` and its receive (or publish) time.
struct PendingRecord: Sendable {
    /// The ZeroMQ frames, as received or sent.
    let frames: [[UInt8]]
    /// Log and publish time in the bag, nanoseconds since the Unix epoch.
    let time: UInt64

    /// Bytes the message holds (what the queue's bound counts).
    var byteCount: Int { frames.reduce(0) { $0 + $1.count } }
}

/// A first-in first-out queue between the threads that record (ingress, control) and the bag writer
/// thread, bounded by the bytes it holds. `offer` never waits: with the bound reached the message is
/// refused (the caller counts the drop), so a slow disk or compressor never stalls a caller.
final class RecordQueue: @unchecked Sendable {
    /// What `offer` did with a message.
    enum Offer: Equatable {
        /// Queued for the writer.
        case queued
        /// Refused: queued bytes plus the message would exceed the capacity.
        case full
        /// Refused: the queue is closed (the bag is finishing or failed).
        case closed
    }

    /// The largest number of bytes held at once.
    let capacityBytes: Int
    private let condition = NSCondition()
    private var items: [PendingRecord] = []
    private var head = 0
    private var queuedBytes = 0
    private var closed = false

    /// Creates an empty queue holding at most `capacityBytes` (a message larger than that is always refused).
    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Appends `record` unless that would exceed the capacity or the queue is closed.
    func offer(_ record: PendingRecord) -> Offer {
        let bytes = record.byteCount
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return .closed }
        guard bytes <= capacityBytes - queuedBytes else { return .full }
        items.append(record)
        queuedBytes += bytes
        condition.signal()
        return .queued
    }

    /// The oldest message, waiting up to `timeout` seconds for one; nil on timeout, or at once when the
    /// queue is closed and empty (see `isDrained`).
    func take(waitingUpTo timeout: TimeInterval) -> PendingRecord? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while head == items.count, !closed {
            guard condition.wait(until: deadline) else { break }
        }
        guard head < items.count else { return nil }
        let record = items[head]
        head += 1
        queuedBytes -= record.byteCount
        if head == items.count || head >= 1024 {
            items.removeFirst(head)
            head = 0
        }
        return record
    }

    /// Bytes queued now.
    var byteCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queuedBytes
    }

    /// True once the queue is closed and every queued message has been taken.
    var isDrained: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed && head == items.count
    }

    /// Refuses further messages; the queued ones can still be taken. Wakes a waiting `take`.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}
