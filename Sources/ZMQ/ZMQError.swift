import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from a ZeroMQ call.
///
/// The cases a caller routinely acts on are distinct so they can be matched in a `switch`:
/// `.wouldBlock` (a `.dontWait` call could not proceed), `.timedOut` (`receiveTimeout` or
/// `sendTimeout` expired), and `.contextTerminated` (the context was shut down, so the socket should be
/// closed). Every other libzmq failure is `.failure`, carrying the `errno` value and libzmq's own text.
public enum ZMQError: Error, Equatable, CustomStringConvertible {
    /// A non-blocking (`.dontWait`) call could not complete now (`EAGAIN`). Try again later.
    case wouldBlock
    /// A blocking call gave up because the socket's `receiveTimeout` or `sendTimeout` expired (`EAGAIN`).
    case timedOut
    /// The socket's context was shut down or terminated (`ETERM`). Close the socket; it is unusable.
    case contextTerminated
    /// The socket was used after `close()`.
    case socketClosed
    /// A value passed to this API was rejected before reaching libzmq; the text says what to fix.
    case invalidArgument(String)
    /// Any other libzmq failure: the call that failed, its `errno`, and `zmq_strerror(errno)`.
    case failure(operation: String, errno: Int32, message: String)

    /// The `errno` value behind the error, or `nil` for errors raised by this Swift layer itself.
    public var errno: Int32? {
        switch self {
        case .wouldBlock, .timedOut: return EAGAIN
        case .contextTerminated: return ETERM
        case .failure(_, let code, _): return code
        case .socketClosed, .invalidArgument: return nil
        }
    }

    public var description: String {
        switch self {
        case .wouldBlock:
            return "ZeroMQ operation would block (EAGAIN): nothing to receive or the send queue is full; retry later"
        case .timedOut:
            return "ZeroMQ operation timed out (EAGAIN): the socket's receive/send timeout expired"
        case .contextTerminated:
            return "ZeroMQ context terminated (ETERM): the context was shut down; close this socket"
        case .socketClosed:
            return "ZeroMQ socket used after close(); create a new socket"
        case .invalidArgument(let reason):
            return "invalid ZeroMQ argument: \(reason)"
        case .failure(let operation, let code, let message):
            return "\(operation) failed: \(message) (errno \(code))"
        }
    }

    /// Maps `errno` after a failed libzmq call to an error.
    ///
    /// - Parameters:
    ///   - code: the `errno` value (from `zmq_errno()`).
    ///   - operation: the call that failed, shown in the error text.
    ///   - waiting: whether the call was allowed to block; decides if `EAGAIN` is a timeout or would-block.
    static func from(errno code: Int32, operation: @autoclosure () -> String, waiting: Bool = false) -> ZMQError {
        switch code {
        case EAGAIN: return waiting ? .timedOut : .wouldBlock
        case ETERM: return .contextTerminated
        default: return .failure(operation: operation(), errno: code, message: String(cString: zmq_strerror(code)))
        }
    }

    /// The error for the last failed libzmq call on this thread.
    static func last(_ operation: @autoclosure () -> String, waiting: Bool = false) -> ZMQError {
        from(errno: zmq_errno(), operation: operation(), waiting: waiting)
    }
}
