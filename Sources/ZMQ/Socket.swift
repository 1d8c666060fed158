import CZeroMQ

/// A ZeroMQ socket of one `SocketType`, created by `Context.makeSocket(_:)`.
///
/// **Threads: one owner at a time.** libzmq sockets are not thread safe. A socket must be used by one
/// thread at a time, normally the thread that created it. Handing it to another thread is allowed only
/// through a synchronising hand-over (a lock, a semaphore, a queue, or starting the thread), after which
/// the first thread must no longer touch it. `close()` counts as use: call it from the owner.
/// For this reason `Socket` is deliberately *not* `Sendable`. To wake a thread blocked in a socket call
/// from elsewhere, use the thread-safe `Context.shutdown()` (or bound the wait with `receiveTimeout`
/// or a `Poller` timeout).
///
/// **Lifetime.** The socket is closed exactly once: by the first `close()` call, or by `deinit` if it was
/// never closed. After closing, every call throws `ZMQError.socketClosed`. The socket keeps its context
/// alive. New sockets have `linger` set to 0, so closing drops unsent messages instead of making the
/// context wait for a peer that may never come; raise `linger` if the last messages must be delivered.
public final class Socket {
    /// The messaging pattern of this socket.
    public let type: SocketType
    /// The context that created this socket (kept alive by the socket).
    public let context: Context
    /// The libzmq socket, `nil` once closed.
    private var handle: UnsafeMutableRawPointer?

    init(context: Context, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw .last("zmq_socket(\(type))")
        }
        self.type = type
        self.context = context
        self.handle = handle
        try setOption(.linger, .zero)
    }

    deinit {
        close()
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket. Later calls do nothing; pending outgoing messages are kept only for `linger`.
    public func close() {
        guard let open = handle else { return }
        handle = nil
        zmq_close(open)
    }

    /// The libzmq handle of an open socket.
    func openHandle() throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let open = handle else { throw .socketClosed }
        return open
    }

    /// Accepts connections on `endpoint`, e.g. `tcp://127.0.0.1:*` (ephemeral port; read it back from
    /// `lastEndpoint`), `tcp://*:5555`, `ipc:///tmp/feed`, or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_bind", endpoint, zmq_bind)
    }

    /// Connects to `endpoint`. Connections are made and re-made in the background; this returns at once.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_connect", endpoint, zmq_connect)
    }

    /// Stops accepting on an endpoint given to `bind` (use the resolved `lastEndpoint` for wildcards).
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_unbind", endpoint, zmq_unbind)
    }

    /// Drops the connection to an endpoint given to `connect`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_disconnect", endpoint, zmq_disconnect)
    }

    /// The endpoint of the last successful `bind` or `connect`, with wildcards resolved (for example
    /// `tcp://127.0.0.1:41235`), or `nil` if there was none.
    public var lastEndpoint: String? {
        get throws(ZMQError) {
            let endpoint = try stringOption(ZMQ_LAST_ENDPOINT, named: "ZMQ_LAST_ENDPOINT")
            return endpoint.isEmpty ? nil : endpoint
        }
    }

    /// SUB/XSUB: receive messages whose first frame starts with `prefix`. The empty prefix matches all.
    /// Subscriptions accumulate; a new socket receives nothing until it subscribes.
    public func subscribe(to prefix: some FrameBytes) throws(ZMQError) {
        try setBytesOption(ZMQ_SUBSCRIBE, named: "ZMQ_SUBSCRIBE", prefix)
    }

    /// SUB/XSUB: remove one earlier `subscribe(to:)` of exactly this prefix.
    public func unsubscribe(from prefix: some FrameBytes) throws(ZMQError) {
        try setBytesOption(ZMQ_UNSUBSCRIBE, named: "ZMQ_UNSUBSCRIBE", prefix)
    }

    private func endpointCall(
        _ name: String, _ endpoint: String,
        _ call: (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    ) throws(ZMQError) {
        guard !endpoint.utf8.contains(0) else {
            throw .invalidArgument("\(name): endpoint contains a NUL byte")
        }
        let open = try openHandle()
        guard call(open, endpoint) == 0 else { throw .last("\(name)(\"\(endpoint)\")") }
    }
}
