import ZMQ

/// One ZeroMQ socket the node opens: its endpoint and the topics that travel through it.
public struct SocketSpec: Equatable, Sendable {
    /// Bind or connect, and the address.
    public let endpoint: Endpoint
    /// The topics of this socket, in launch-file order.
    public let topics: [String]
    /// `ZMQ_MAXMSGSIZE` in bytes: a peer sending a larger message is disconnected.
    public let maximumMessageBytes: Int
    /// `ZMQ_RCVHWM`: messages ZeroMQ queues for the ingress before it stops reading from the peer
    /// (input sockets; 0 on output sockets, which never receive).
    public var receiveHighWaterMark: Int = 0
}

/// The sockets of a launch configuration: topics of one direction naming the same endpoint share one
/// socket (a SUB for inputs, a PUB for outputs), so each address is bound or connected exactly once.
public struct SocketPlan: Equatable, Sendable {
    /// The largest camera message accepted (64 MiB: a 4K RGBA frame is 33 MiB).
    public static let maximumCameraMessageBytes = 64 << 20
    /// The largest instruction message accepted (64 KiB; the instruction itself is limited to 1 KiB).
    public static let maximumInstructionMessageBytes = 64 << 10
    /// The receive queue of a socket carrying the camera: the node only wants the newest frame, so frames
    /// the ingress has not drained yet must not pile up (a queue of 100 4000×3000 frames is 3.6 GB and
    /// seconds old). Shared with the instruction when both use one endpoint: re-sent instructions survive it.
    public static let cameraReceiveHighWaterMark = 4
    /// The receive queue of an instruction-only socket.
    public static let instructionReceiveHighWaterMark = 100

    /// SUB sockets, owned by the ingress thread.
    public let inputs: [SocketSpec]
    /// PUB sockets, owned by the control thread.
    public let outputs: [SocketSpec]

    /// Groups the five topics of `topics` by endpoint.
    public init(topics: TopicSettings) {
        inputs = Self.group([(topics.camera, Self.maximumCameraMessageBytes, Self.cameraReceiveHighWaterMark),
                             (topics.instruction, Self.maximumInstructionMessageBytes, Self.instructionReceiveHighWaterMark),
                             (topics.reset, Self.maximumInstructionMessageBytes, Self.instructionReceiveHighWaterMark)])
        outputs = Self.group([(topics.actionChunk, 0, 0), (topics.latency, 0, 0)])
    }

    /// One socket per endpoint: the largest message limit and the smallest receive queue of its topics.
    private static func group(_ bindings: [(TopicBinding, Int, Int)]) -> [SocketSpec] {
        var specs: [SocketSpec] = []
        for (binding, limit, highWaterMark) in bindings {
            if let index = specs.firstIndex(where: { $0.endpoint == binding.endpoint }) {
                let existing = specs[index]
                specs[index] = SocketSpec(endpoint: existing.endpoint, topics: existing.topics + [binding.topic],
                                          maximumMessageBytes: max(existing.maximumMessageBytes, limit),
                                          receiveHighWaterMark: min(existing.receiveHighWaterMark, highWaterMark))
            } else {
                specs.append(SocketSpec(endpoint: binding.endpoint, topics: [binding.topic], maximumMessageBytes: limit,
                                        receiveHighWaterMark: highWaterMark))
            }
        }
        return specs
    }
}

extension Socket {
    /// Binds or connects as `endpoint` says; returns the resolved address (a bound `tcp://…:*` reports
    /// its port).
    /// - Throws: `NodeError.endpoint` naming the address and what to fix.
    func attach(_ endpoint: Endpoint) throws -> String {
        do {
            switch endpoint.mode {
            case .bind:
                try bind(endpoint.address)
                return (try? lastEndpoint) ?? endpoint.address
            case .connect:
                try connect(endpoint.address)
                return endpoint.address
            }
        } catch {
            throw NodeError.endpoint(mode: endpoint.mode, address: endpoint.address, reason: String(describing: error))
        }
    }
}
