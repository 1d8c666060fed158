import CZeroMQ

/// The messaging pattern of a socket (`zmq_socket` type).
public enum SocketType: Sendable, CaseIterable, CustomStringConvertible {
    /// Publisher: fans messages out to subscribers; never blocks, drops for a subscriber at its HWM.
    case pub
    /// Subscriber: receives the messages whose first frame starts with a subscribed prefix.
    case sub
    /// Publisher that also receives subscription messages (`0x01`/`0x00` byte + topic).
    case xpub
    /// Subscriber that sends its subscriptions as messages (`0x01`/`0x00` byte + topic).
    case xsub
    /// Pipeline producer: round-robins messages to connected pullers.
    case push
    /// Pipeline consumer: fair-queues messages from pushers.
    case pull
    /// Request client: strictly alternates send and receive.
    case req
    /// Reply server: strictly alternates receive and send.
    case rep
    /// Asynchronous server: prefixes received messages with the peer's routing id frame.
    case router
    /// Asynchronous client: load-balances sends and fair-queues receives, no envelope.
    case dealer
    /// Exclusive pair: one peer, both directions (socket monitors deliver their events on one).
    case pair

    /// The libzmq constant for this type.
    var rawValue: Int32 {
        switch self {
        case .pub: return ZMQ_PUB
        case .sub: return ZMQ_SUB
        case .xpub: return ZMQ_XPUB
        case .xsub: return ZMQ_XSUB
        case .push: return ZMQ_PUSH
        case .pull: return ZMQ_PULL
        case .req: return ZMQ_REQ
        case .rep: return ZMQ_REP
        case .router: return ZMQ_ROUTER
        case .dealer: return ZMQ_DEALER
        case .pair: return ZMQ_PAIR
        }
    }

    public var description: String {
        switch self {
        case .pub: return "PUB"
        case .sub: return "SUB"
        case .xpub: return "XPUB"
        case .xsub: return "XSUB"
        case .push: return "PUSH"
        case .pull: return "PULL"
        case .req: return "REQ"
        case .rep: return "REP"
        case .router: return "ROUTER"
        case .dealer: return "DEALER"
        case .pair: return "PAIR"
        }
    }
}
