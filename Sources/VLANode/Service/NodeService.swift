import Foundation
import Logging
import ZMQ

/// The node service: a ZeroMQ REP socket (`node.service`) on a thread of its own that answers JSON
/// requests through a `ServiceHandler`, one reply per request.
///
/// The socket is created, bound or connected by `init` on the caller's thread and handed to the
/// service thread when it starts (a synchronising hand-over); from then on only that thread uses it,
/// and closes it when it stops. Requests above `maximumRequestBytes` make libzmq drop the client's
/// connection (its REQ socket then times out); a connecting service re-makes its connection like the
/// ingress does (`ConnectionWatcher`).
final class NodeService: @unchecked Sendable {
    /// The largest request accepted (requests are a few bytes of JSON).
    static let maximumRequestBytes = 64 << 10

    /// The resolved address of the socket.
    let address: String
    private let socket: Socket
    private let handler: ServiceHandler
    private let logger: Logger
    private let thread = LoopThread()
    private var poller = Poller()  // service thread only (after start)
    private let connections: ConnectionWatcher  // service thread only (after start)

    /// Opens the REP socket on `endpoint`.
    /// - Throws: `NodeError.endpoint` when it cannot bind or connect, a `ZMQError` when libzmq refuses
    ///   the socket or its monitor.
    init(endpoint: Endpoint, context: ZMQ.Context, handler: ServiceHandler, counters: NodeCounters, logger: Logger) throws {
        socket = try context.makeSocket(.rep)
        try socket.setOption(.maxMessageSize, Self.maximumRequestBytes)
        address = try socket.attach(endpoint)
        connections = ConnectionWatcher(name: "service", counters: counters, logger: logger)
        poller.register(socket)
        poller.register(try connections.watch(socket, endpoint: endpoint))
        self.handler = handler
        self.logger = logger
    }

    /// Starts answering requests.
    func start() {
        thread.start(name: "vla-service", step: { [self] in serveOnce() }, finally: { [self] in
            connections.close()
            socket.close()
        })
    }

    /// Stops after the current request and closes the socket; waits up to `timeout` seconds.
    @discardableResult
    func stop(timeout: TimeInterval) -> Bool {
        thread.requestStop()
        return thread.waitUntilFinished(timeout: timeout)
    }

    private func serveOnce() {
        do {
            for (ready, _) in try poller.poll(timeout: .milliseconds(100)).ready {
                if try connections.handleEvents(on: ready) { continue }
                while let request = try socket.receiveIfAvailable() {
                    try socket.send([handler.reply(to: request)])
                }
            }
        } catch ZMQError.contextTerminated {
            thread.requestStop()
        } catch {
            logger.error("node service: \(error)")
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
