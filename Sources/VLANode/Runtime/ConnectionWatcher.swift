import Logging
import ZMQ

/// Keeps the node's connections alive. Every watched socket (the inputs, the service) gets a `SocketMonitor` for
/// `ZMQ_EVENT_DISCONNECTED`. When a socket the node *connects* loses its connection, the watcher drops
/// the endpoint and connects it again. libzmq reconnects on its own after an ordinary network error,
/// but not after a protocol error such as a message above `ZMQ_MAXMSGSIZE`: it ends that session for
/// good, and the node would never hear from that publisher again. Re-connecting after an ordinary
/// disconnect is harmless (the disconnect removes libzmq's own retry first).
/// A *bound* socket's peers reconnect by themselves; their disconnects are logged and counted only.
///
/// Owned and used by the thread that owns the sockets it watches (the ingress, the node service).
final class ConnectionWatcher {
    private struct Watch {
        let socket: Socket
        let monitor: SocketMonitor
        let endpoint: Endpoint
    }

    private let name: String
    private let counters: NodeCounters
    private let logger: Logger
    private var watches: [Watch] = []

    /// A watcher whose monitors use inproc addresses named after `name`, unique within the context.
    init(name: String, counters: NodeCounters, logger: Logger) {
        self.name = name
        self.counters = counters
        self.logger = logger
    }

    /// Starts watching `socket`, attached as `endpoint`. Returns the socket its events arrive on; poll it
    /// for `.readable` and pass it to `handleEvents(on:)`.
    /// - Throws: `ZMQError` when libzmq refuses the monitor.
    func watch(_ socket: Socket, endpoint: Endpoint) throws -> Socket {
        let monitor = try SocketMonitor(watching: socket, address: "inproc://vla-node.\(name)-monitor.\(watches.count)",
                                        events: .disconnected)
        watches.append(Watch(socket: socket, monitor: monitor, endpoint: endpoint))
        return monitor.eventSocket
    }

    /// Handles the queued events if `ready` is one of the watchers' event sockets; false otherwise.
    /// - Throws: `ZMQError` from the event socket.
    func handleEvents(on ready: Socket) throws -> Bool {
        guard let watch = watches.first(where: { $0.monitor.eventSocket === ready }) else { return false }
        while let event = try watch.monitor.nextEvent() {
            guard event.kind == .disconnected else { continue }
            counters.increment(.disconnects)
            restore(watch, after: event)
        }
        return true
    }

    private func restore(_ watch: Watch, after event: SocketEvent) {
        let address = watch.endpoint.address
        guard watch.endpoint.mode == .connect else {
            logger.notice("a peer of \(address) disconnected (\(event.endpoint)); it reconnects by itself")
            return
        }
        try? watch.socket.disconnect(address)  // libzmq may already have dropped the endpoint
        do {
            try watch.socket.connect(address)
            counters.increment(.reconnects)
            logger.warning("lost the connection to \(address) (the peer closed it, or sent a message above the size limit); reconnected")
        } catch {
            logger.error("lost the connection to \(address) and cannot reconnect: \(error)")
        }
    }

    /// Stops every monitor (before the watched sockets close).
    func close() {
        for watch in watches { watch.monitor.close() }
        watches.removeAll()
    }
}
