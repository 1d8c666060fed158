import CZeroMQ

/// A typed socket option, used with `Socket.setOption(_:_:)` and `Socket.option(_:)`.
///
/// Set options before `bind`/`connect` when they shape connections (high-water marks, `conflate`,
/// `immediate`, TCP keepalive, `maxMessageSize`): libzmq applies those to connections made afterwards.
public struct SocketOption<Value> {
    /// The libzmq option number.
    let name: Int32
    /// The libzmq option name, for error text.
    let label: String
    /// How values travel to and from libzmq.
    let codec: OptionCodec<Value>
}

extension SocketOption where Value == Int {
    /// `ZMQ_SNDHWM`: messages queued per peer for sending before the socket drops (PUB) or blocks
    /// (PUSH, DEALER, …). 0 means no limit. Default 1000.
    public static var sendHighWaterMark: Self { .init(name: ZMQ_SNDHWM, label: "ZMQ_SNDHWM", codec: .count) }
    /// `ZMQ_RCVHWM`: messages queued per peer on the receiving side. 0 means no limit. Default 1000.
    public static var receiveHighWaterMark: Self { .init(name: ZMQ_RCVHWM, label: "ZMQ_RCVHWM", codec: .count) }
}

extension SocketOption where Value == Int? {
    /// `ZMQ_MAXMSGSIZE`: a peer sending a larger message (in bytes) is disconnected. `nil`: no limit.
    public static var maxMessageSize: Self {
        .init(name: ZMQ_MAXMSGSIZE, label: "ZMQ_MAXMSGSIZE", codec: .optionalByteCount)
    }
    /// `ZMQ_TCP_KEEPALIVE_CNT`: unanswered keepalive probes before the connection drops. `nil`: OS default.
    public static var tcpKeepaliveCount: Self {
        .init(name: ZMQ_TCP_KEEPALIVE_CNT, label: "ZMQ_TCP_KEEPALIVE_CNT", codec: .optionalCount)
    }
}

extension SocketOption where Value == Duration? {
    /// `ZMQ_LINGER`: how long `close` keeps unsent messages for delivery. `nil`: until delivered.
    /// Sockets made by this module start at `.zero`; libzmq's own default is `nil`.
    public static var linger: Self { .init(name: ZMQ_LINGER, label: "ZMQ_LINGER", codec: .milliseconds) }
    /// `ZMQ_RCVTIMEO`: how long a blocking receive waits before throwing `ZMQError.timedOut`.
    /// `nil` (default): wait forever.
    public static var receiveTimeout: Self { .init(name: ZMQ_RCVTIMEO, label: "ZMQ_RCVTIMEO", codec: .milliseconds) }
    /// `ZMQ_SNDTIMEO`: how long a blocking send waits before throwing `ZMQError.timedOut`.
    /// `nil` (default): wait forever.
    public static var sendTimeout: Self { .init(name: ZMQ_SNDTIMEO, label: "ZMQ_SNDTIMEO", codec: .milliseconds) }
    /// `ZMQ_TCP_KEEPALIVE_IDLE`: idle time before the first keepalive probe, whole seconds (rounded up).
    /// `nil`: OS default.
    public static var tcpKeepaliveIdle: Self {
        .init(name: ZMQ_TCP_KEEPALIVE_IDLE, label: "ZMQ_TCP_KEEPALIVE_IDLE", codec: .seconds)
    }
    /// `ZMQ_TCP_KEEPALIVE_INTVL`: time between keepalive probes, whole seconds (rounded up).
    /// `nil`: OS default.
    public static var tcpKeepaliveInterval: Self {
        .init(name: ZMQ_TCP_KEEPALIVE_INTVL, label: "ZMQ_TCP_KEEPALIVE_INTVL", codec: .seconds)
    }
}

extension SocketOption where Value == Bool {
    /// `ZMQ_CONFLATE`: keep only the newest message in the queue. Multipart messages are not supported
    /// (only one frame survives), so do not combine it with `[topic, payload]` framing.
    public static var conflate: Self { .init(name: ZMQ_CONFLATE, label: "ZMQ_CONFLATE", codec: .flag) }
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections, not to peers still connecting.
    public static var immediate: Self { .init(name: ZMQ_IMMEDIATE, label: "ZMQ_IMMEDIATE", codec: .flag) }
}

extension SocketOption where Value == TCPKeepalive {
    /// `ZMQ_TCP_KEEPALIVE`: whether TCP connections send keepalive probes (`SO_KEEPALIVE`).
    public static var tcpKeepalive: Self {
        .init(name: ZMQ_TCP_KEEPALIVE, label: "ZMQ_TCP_KEEPALIVE", codec: .keepalive)
    }
}

/// The TCP keepalive setting of a socket (`ZMQ_TCP_KEEPALIVE`).
public enum TCPKeepalive: Sendable, Equatable {
    /// Leave `SO_KEEPALIVE` as the operating system sets it (libzmq's default).
    case systemDefault
    /// Turn keepalive probes off.
    case disabled
    /// Turn keepalive probes on; tune them with `tcpKeepaliveIdle`, `tcpKeepaliveInterval`,
    /// `tcpKeepaliveCount`.
    case enabled
}

extension Socket {
    /// Sets a socket option.
    ///
    /// - Throws: `ZMQError.invalidArgument` for values out of range (negative durations or counts),
    ///   `.socketClosed`, `.contextTerminated`, or `.failure` if libzmq refuses the option for this
    ///   socket type or transport.
    public func setOption<Value>(_ option: SocketOption<Value>, _ value: Value) throws(ZMQError) {
        let raw = try option.codec.encode(value, option.label)
        let open = try openHandle()
        let status: Int32
        switch raw {
        case .int32(var number):
            status = zmq_setsockopt(open, option.name, &number, MemoryLayout<Int32>.size)
        case .int64(var number):
            status = zmq_setsockopt(open, option.name, &number, MemoryLayout<Int64>.size)
        }
        guard status == 0 else { throw .last("zmq_setsockopt(\(option.label), \(value))") }
    }

    /// Reads a socket option's current value.
    public func option<Value>(_ option: SocketOption<Value>) throws(ZMQError) -> Value {
        let open = try openHandle()
        let raw: RawOptionValue
        let status: Int32
        switch option.codec.kind {
        case .int32:
            var number: Int32 = 0
            var size = MemoryLayout<Int32>.size
            status = zmq_getsockopt(open, option.name, &number, &size)
            raw = .int32(number)
        case .int64:
            var number: Int64 = 0
            var size = MemoryLayout<Int64>.size
            status = zmq_getsockopt(open, option.name, &number, &size)
            raw = .int64(number)
        }
        guard status == 0 else { throw .last("zmq_getsockopt(\(option.label))") }
        return option.codec.decode(raw)
    }

    /// Reads a string option such as `ZMQ_LAST_ENDPOINT` (NUL-terminated by libzmq).
    func stringOption(_ name: Int32, named label: String) throws(ZMQError) -> String {
        let open = try openHandle()
        var buffer = [CChar](repeating: 0, count: 4096)
        var size = buffer.count
        guard zmq_getsockopt(open, name, &buffer, &size) == 0 else {
            throw .last("zmq_getsockopt(\(label))")
        }
        let bytes = buffer.prefix(max(0, size)).prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sets a binary option such as `ZMQ_SUBSCRIBE`.
    func setBytesOption(_ name: Int32, named label: String, _ bytes: some FrameBytes) throws(ZMQError) {
        let open = try openHandle()
        var placeholder: UInt8 = 0
        let status = bytes.withFrameBytes { buffer in
            // libzmq copies from the pointer even for length 0, so never hand it a null pointer.
            guard let base = buffer.baseAddress else { return zmq_setsockopt(open, name, &placeholder, 0) }
            return zmq_setsockopt(open, name, base, buffer.count)
        }
        guard status == 0 else { throw .last("zmq_setsockopt(\(label))") }
    }
}
