import CZeroMQ

/// A connection event of a monitored socket (`zmq_socket_monitor`, event format v1).
public struct SocketEvent: Equatable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Sendable {
        /// A connection was established (`ZMQ_EVENT_CONNECTED`).
        case connected
        /// A connect attempt is being retried (`ZMQ_EVENT_CONNECT_RETRIED`; value: the interval in ms).
        case connectRetried
        /// An established connection was closed (`ZMQ_EVENT_DISCONNECTED`), by the peer or by libzmq
        /// itself, e.g. after a message above `maxMessageSize`.
        case disconnected
        /// A bound socket accepted a connection (`ZMQ_EVENT_ACCEPTED`).
        case accepted
        /// The ZMTP handshake succeeded (`ZMQ_EVENT_HANDSHAKE_SUCCEEDED`).
        case handshakeSucceeded
        /// The peer broke the ZMTP protocol during the handshake
        /// (`ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`; value: the `ZMQ_PROTOCOL_ERROR_*` code).
        case handshakeFailedProtocol
        /// The monitor was stopped or its socket closed (`ZMQ_EVENT_MONITOR_STOPPED`); no event follows.
        case monitorStopped
        /// Any other event, by its libzmq number.
        case other(UInt16)

        init(code: UInt16) {
            switch Int32(code) {
            case ZMQ_EVENT_CONNECTED: self = .connected
            case ZMQ_EVENT_CONNECT_RETRIED: self = .connectRetried
            case ZMQ_EVENT_DISCONNECTED: self = .disconnected
            case ZMQ_EVENT_ACCEPTED: self = .accepted
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: self = .handshakeSucceeded
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: self = .handshakeFailedProtocol
            case ZMQ_EVENT_MONITOR_STOPPED: self = .monitorStopped
            default: self = .other(code)
            }
        }
    }

    /// The event.
    public let kind: Kind
    /// The event's value (a file descriptor, an interval or an error code, depending on the kind).
    public let value: UInt32
    /// The endpoint the event concerns, as libzmq reports it (e.g. `tcp://127.0.0.1:5555`).
    public let endpoint: String

    /// Parses the two frames libzmq sends for one event: 2 bytes event number and 4 bytes value, both
    /// in host order (libzmq copies the integers; every platform it runs on here is little-endian), then
    /// the endpoint. Returns nil for anything else.
    init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let header = frames[0]
        kind = Kind(code: UInt16(header[0]) | UInt16(header[1]) << 8)
        value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(header[2 + $1]) << (8 * UInt32($1)) }
        endpoint = String(decoding: frames[1], as: UTF8.self)
    }
}

/// Which events a `SocketMonitor` reports (libzmq's `ZMQ_EVENT_*` bits).
public struct SocketEventMask: OptionSet, Sendable {
    /// The libzmq bits.
    public let rawValue: Int32

    /// Wraps libzmq event bits.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `SocketEvent.Kind.connected`.
    public static let connected = SocketEventMask(rawValue: ZMQ_EVENT_CONNECTED)
    /// `SocketEvent.Kind.connectRetried`.
    public static let connectRetried = SocketEventMask(rawValue: ZMQ_EVENT_CONNECT_RETRIED)
    /// `SocketEvent.Kind.disconnected`.
    public static let disconnected = SocketEventMask(rawValue: ZMQ_EVENT_DISCONNECTED)
    /// `SocketEvent.Kind.accepted`.
    public static let accepted = SocketEventMask(rawValue: ZMQ_EVENT_ACCEPTED)
    /// `SocketEvent.Kind.handshakeFailedProtocol`.
    public static let handshakeFailedProtocol = SocketEventMask(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
    /// Every event libzmq can report.
    public static let all = SocketEventMask(rawValue: ZMQ_EVENT_ALL)
}

/// Watches the connection events of one socket: libzmq publishes them on an `inproc` PAIR socket, which
/// this type connects and owns. Register `eventSocket` with a `Poller` next to the watched socket and
/// drain it with `nextEvent()`.
///
/// **Threads and lifetime.** Like `Socket`, one owner at a time: the thread that owns the watched
/// socket. Close the watched socket first (libzmq then sends `monitorStopped`), then the monitor; or
/// call `close()`, which stops the monitoring and closes the PAIR socket.
public final class SocketMonitor {
    /// The PAIR socket the events arrive on.
    public let eventSocket: Socket
    private weak var watched: Socket?

    /// Starts monitoring `socket` for `events` through the inproc address `address`, which must be
    /// unique within the context. `monitorStopped` is always reported.
    /// - Throws: `ZMQError` when libzmq refuses the monitor or the PAIR socket cannot connect.
    public init(watching socket: Socket, address: String, events: SocketEventMask = .all) throws(ZMQError) {
        guard address.hasPrefix("inproc://"), !address.utf8.contains(0) else {
            throw .invalidArgument("a socket monitor address must be inproc:// without NUL bytes, got \(address)")
        }
        let handle = try socket.openHandle()
        guard zmq_socket_monitor(handle, address, events.rawValue) == 0 else { throw .last("zmq_socket_monitor(\"\(address)\")") }
        let pair = try socket.context.makeSocket(.pair)
        do {
            try pair.connect(address)
        } catch {
            zmq_socket_monitor(handle, nil, 0)
            throw error
        }
        eventSocket = pair
        watched = socket
    }

    deinit {
        close()
    }

    /// The next queued event, or nil when none is waiting. Frames that are not an event are skipped.
    /// - Throws: `ZMQError` from the PAIR socket (e.g. `.contextTerminated`).
    public func nextEvent() throws(ZMQError) -> SocketEvent? {
        while let frames = try eventSocket.receiveIfAvailable() {
            if let event = SocketEvent(frames: frames) { return event }
        }
        return nil
    }

    /// Stops monitoring (if the watched socket is still open) and closes the PAIR socket. Idempotent.
    public func close() {
        if let watched, let handle = try? watched.openHandle() { zmq_socket_monitor(handle, nil, 0) }
        watched = nil
        eventSocket.close()
    }
}
