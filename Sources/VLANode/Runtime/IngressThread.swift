import Foundation
import Logging
import ZMQ

/// The ingress thread: creates, owns and closes the SUB sockets of the input topics, and drains them
/// (`Poller` with a 100 ms timeout, then `receiveIfAvailable` until empty) into an `IngressRouter`, so
/// the kernel and ZeroMQ queues never fill and the mailboxes always hold the newest values.
/// Every socket has `ZMQ_MAXMSGSIZE` (a larger message disconnects its sender; libzmq
/// counts it as a protocol error and does not reconnect a connecting socket to that peer, so a
/// `ConnectionWatcher` does) and LINGER 0.
/// Messages the router accepted (a valid frame, an instruction that passed validation) are also handed
/// to the bag recorder, which only queues them; refused input is counted and logged, never recorded.
public final class IngressThread: @unchecked Sendable {
    private let plan: [SocketSpec]
    private let context: ZMQ.Context
    private let router: IngressRouter
    private let recorder: NodeRecorder?
    private let clock: any MonotonicClock
    private let logger: Logger
    private let thread = LoopThread()
    private let ready = DispatchSemaphore(value: 0)
    private let startResult = Locked<Result<[String], Error>?>(nil)
    private var sockets: [Socket] = []  // ingress thread only
    private var poller = Poller()  // ingress thread only
    private let connections: ConnectionWatcher  // ingress thread only

    /// Creates the thread (not yet started) for the input sockets of `plan`.
    public init(plan: [SocketSpec], context: ZMQ.Context, router: IngressRouter, recorder: NodeRecorder?,
                clock: any MonotonicClock, logger: Logger = Logger(label: "vla-node.ingress")) {
        self.plan = plan
        self.context = context
        self.router = router
        self.recorder = recorder
        self.clock = clock
        self.logger = logger
        connections = ConnectionWatcher(name: "ingress", counters: router.counters, logger: logger)
    }

    /// Starts the thread; it opens the sockets, then this returns their resolved addresses.
    /// - Throws: `NodeError.endpoint` (or a `ZMQError`) when a socket cannot be set up; the thread then stops.
    public func start() throws -> [String] {
        thread.start(name: "vla-ingress", step: { [self] in
            if startResult.withLock({ $0 == nil }) { open() } else { drainOnce() }
        }, finally: { [self] in closeSockets() })
        ready.wait()
        return try startResult.withLock { $0 }?.get() ?? []
    }

    /// Stops draining and closes the sockets (on the ingress thread); waits up to `timeout` seconds.
    @discardableResult
    public func stop(timeout: TimeInterval) -> Bool {
        thread.requestStop()
        return thread.waitUntilFinished(timeout: timeout)
    }

    private func open() {
        let result = Result { () throws -> [String] in
            var addresses: [String] = []
            for spec in plan {
                let socket = try context.makeSocket(.sub)
                sockets.append(socket)
                try socket.setOption(.maxMessageSize, spec.maximumMessageBytes)
                try socket.setOption(.receiveHighWaterMark, spec.receiveHighWaterMark)
                addresses.append(try socket.attach(spec.endpoint))
                for topic in spec.topics { try socket.subscribe(to: topic) }
                poller.register(socket)
                poller.register(try connections.watch(socket, endpoint: spec.endpoint))
            }
            return addresses
        }
        startResult.withLock { $0 = result }
        if case .failure = result { thread.requestStop() }
        ready.signal()
    }

    private func drainOnce() {
        do {
            let ready = try poller.poll(timeout: .milliseconds(100))
            for (socket, _) in ready.ready {
                if try connections.handleEvents(on: socket) { continue }
                while let message = try socket.receiveIfAvailable() {
                    let outcome = router.route(message, receivedAt: clock.now())
                    if outcome.isAccepted { recorder?.record(message) }
                }
            }
        } catch ZMQError.contextTerminated {
            thread.requestStop()
        } catch {
            logger.error("ingress: \(error)")
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    private func closeSockets() {
        connections.close()
        for socket in sockets { socket.close() }
        sockets.removeAll()
        poller = Poller()
    }
}
