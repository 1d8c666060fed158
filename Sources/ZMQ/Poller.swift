import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Readiness conditions a `Poller` can wait for.
public struct PollEvents: OptionSet, Sendable, Hashable {
    /// The libzmq `ZMQ_POLLIN`/`ZMQ_POLLOUT` bits.
    public let rawValue: Int16

    /// Wraps libzmq poll bits; prefer `.readable` and `.writable`.
    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// At least one whole message can be received without blocking (`ZMQ_POLLIN`).
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// At least one message can be sent without blocking (`ZMQ_POLLOUT`).
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// Waits until any of several sockets is ready (`zmq_poll`).
///
/// A poller holds its sockets strongly and, like them, belongs to one thread: poll only sockets that the
/// polling thread owns. Register once, then call `poll(timeout:)` in a loop.
public struct Poller {
    /// Registered sockets and the conditions each is polled for, in registration order.
    private var entries: [(socket: Socket, events: PollEvents)] = []

    /// Creates an empty poller.
    public init() {}

    /// Adds a socket, polled for `events` (default `.readable`). Registering a socket again adds its
    /// events to the earlier registration.
    public mutating func register(_ socket: Socket, for events: PollEvents = .readable) {
        if let index = entries.firstIndex(where: { $0.socket === socket }) {
            entries[index].events.formUnion(events)
        } else {
            entries.append((socket, events))
        }
    }

    /// Removes a socket; does nothing if it was not registered.
    public mutating func unregister(_ socket: Socket) {
        entries.removeAll { $0.socket === socket }
    }

    /// Waits until at least one registered socket is ready or the timeout passes.
    ///
    /// - Parameter timeout: the longest wait (rounded up to whole milliseconds); `.zero` checks without
    ///   waiting; `nil` waits forever. Interrupted waits (`EINTR`) resume with the remaining time.
    /// - Returns: the ready sockets and their conditions; empty if the timeout passed.
    /// - Throws: `.socketClosed` if a registered socket was closed, `.contextTerminated`, `.invalidArgument`
    ///   for a negative timeout, or `.failure`.
    public func poll(timeout: Duration?) throws(ZMQError) -> PollResult {
        if let timeout, timeout < .zero {
            throw .invalidArgument("poll timeout must be ≥ 0 or nil (forever), got \(timeout)")
        }
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(entries.count)
        for entry in entries {
            items.append(zmq_pollitem_t(socket: try entry.socket.openHandle(), fd: 0,
                                        events: entry.events.rawValue, revents: 0))
        }
        let clock = ContinuousClock()
        // Capping at ~68 years keeps the deadline arithmetic from overflowing; it is still "practically forever".
        let deadline = timeout.map { clock.now + min($0, Self.longestTimeout) }
        while true {
            let waitMilliseconds = deadline.map { Self.milliseconds(until: $0, on: clock) } ?? -1
            let ready = zmq_poll(&items, Int32(items.count), waitMilliseconds)
            if ready >= 0 { break }
            let code = zmq_errno()
            guard code == EINTR else { throw .from(errno: code, operation: "zmq_poll") }
        }
        var ready: [(socket: Socket, events: PollEvents)] = []
        for (entry, item) in zip(entries, items) where item.revents != 0 {
            ready.append((entry.socket, PollEvents(rawValue: item.revents).intersection(entry.events)))
        }
        return PollResult(ready: ready)
    }

    /// The longest timeout honoured as given; longer ones are shortened to this.
    private static let longestTimeout = Duration.seconds(Int64(Int32.max))

    /// Whole milliseconds left until `deadline`, rounded up, never negative.
    private static func milliseconds(until deadline: ContinuousClock.Instant, on clock: ContinuousClock) -> Int {
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        return Int((remaining / .milliseconds(1)).rounded(.up))
    }
}

/// The outcome of one `Poller.poll(timeout:)`.
public struct PollResult {
    /// The sockets that are ready, in registration order, with the conditions that hold for each.
    public let ready: [(socket: Socket, events: PollEvents)]

    /// Whether no socket was ready (the timeout passed).
    public var isEmpty: Bool { ready.isEmpty }

    /// The conditions that hold for `socket`; empty if it was not ready or not registered.
    public func events(for socket: Socket) -> PollEvents {
        ready.first { $0.socket === socket }?.events ?? []
    }
}
