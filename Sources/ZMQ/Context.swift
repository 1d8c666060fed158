import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ZeroMQ context: the owner of the I/O threads and the factory of sockets.
///
/// **Threads.** A context may be used from any thread at the same time (libzmq documents contexts as
/// thread safe), which is why this type is `@unchecked Sendable`: its only state is the immutable
/// libzmq handle, and every libzmq call made on it is thread safe.
///
/// **Lifetime.** Every `Socket` keeps its context alive, so the context is terminated (`zmq_ctx_term`)
/// only when it and all of its sockets are gone. By then every socket has been closed, and because
/// sockets are created with `linger` 0 the termination does not wait for unsent messages, unless a
/// caller raised `linger`, in which case it waits at most that long.
///
/// **Shutdown.** `shutdown()` makes every blocking call on every socket of this context, on any thread,
/// return `ZMQError.contextTerminated`, and every later call fail the same way. Owners then close their
/// sockets (or let them go) and the context terminates when the last reference is released.
public final class Context: @unchecked Sendable {
    /// The libzmq context; valid from `init` until `deinit`.
    let handle: UnsafeMutableRawPointer

    /// Creates a context.
    ///
    /// - Parameter ioThreads: the number of background I/O threads (`ZMQ_IO_THREADS`, default 1); one
    ///   thread handles roughly a gigabyte per second. `inproc`-only contexts may use 0.
    /// - Throws: `ZMQError.invalidArgument` if `ioThreads` is negative, `.failure` if libzmq refuses.
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard ioThreads >= 0, let threads = Int32(exactly: ioThreads) else {
            throw .invalidArgument("ioThreads must be between 0 and \(Int32.max), got \(ioThreads)")
        }
        guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
        guard zmq_ctx_set(handle, ZMQ_IO_THREADS, threads) == 0 else {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS, \(threads))")
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    /// Creates a socket of the given pattern in this context. The calling thread becomes its owner.
    ///
    /// - Throws: `ZMQError.contextTerminated` after `shutdown()`, `.failure` if libzmq refuses (for
    ///   example too many sockets, `EMFILE`).
    public func makeSocket(_ type: SocketType) throws(ZMQError) -> Socket {
        try Socket(context: self, type: type)
    }

    /// Wakes every blocked call on this context's sockets with `ZMQError.contextTerminated` and makes
    /// all later calls fail the same way. Safe to call from any thread, any number of times.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        // All sockets are closed here (each one retains the context), so this returns once their
        // lingering messages, if any, are flushed. EINTR means a signal arrived: try again.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
