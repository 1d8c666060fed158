import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a send or receive may wait.
public enum WaitMode: Sendable {
    /// Wait until the call can complete, bounded by `sendTimeout`/`receiveTimeout` if set
    /// (then `ZMQError.timedOut`).
    case wait
    /// Return at once; throw `ZMQError.wouldBlock` if the call cannot complete now (`ZMQ_DONTWAIT`).
    case dontWait

    /// The libzmq flag for this mode.
    var flags: Int32 { self == .dontWait ? ZMQ_DONTWAIT : 0 }
}

/// Sending and receiving multipart messages.
///
/// A message is a non-empty list of binary frames, delivered atomically: a peer receives all frames or
/// none. Received frames are `[UInt8]`: this module's one byte representation, chosen because it is
/// the standard library's own, needs no Foundation, and is cheap to slice and hand to decoders.
/// Frames can be sent from `[UInt8]`, `ArraySlice<UInt8>`, `Data`, `UnsafeRawBufferPointer` or
/// `String` (see `FrameBytes`).
///
/// Copies: sending copies each frame once, straight into the `zmq_msg_t` buffer libzmq sends from
/// (libzmq transmits on its I/O thread after `send` returns, so it must own the bytes); receiving copies
/// each frame once, from libzmq's message into the returned array. There are no other copies.
///
/// Interrupted calls (`EINTR`) are retried internally; a retried wait starts its timeout again.
/// Bound what a peer can make this process allocate with `maxMessageSize`.
extension Socket {
    /// Sends one multipart message; a PUB subscriber filters on the first frame (the topic).
    ///
    /// - Parameters:
    ///   - frames: one or more frames, e.g. `["/camera", cdrBytes]`. Empty frames are allowed.
    ///   - mode: `.dontWait` to throw `.wouldBlock` instead of waiting for queue space.
    /// - Throws: `.wouldBlock`, `.timedOut` (`sendTimeout`), `.contextTerminated`, `.socketClosed`,
    ///   `.invalidArgument` for an empty frame list, or `.failure` (e.g. `EFSM` when a REQ socket sends
    ///   twice without receiving the reply). Only the first frame can hit `.wouldBlock` or `.timedOut`:
    ///   once it is queued, libzmq accepts the rest of the message, so a failure after it (in practice
    ///   only `.contextTerminated`) leaves a socket that should be closed.
    public func send(_ frames: [any FrameBytes], mode: WaitMode = .wait) throws(ZMQError) {
        guard !frames.isEmpty else {
            throw .invalidArgument("a message needs at least one frame; send [[]] for one empty frame")
        }
        let open = try openHandle()
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        for (index, frame) in frames.enumerated() {
            let more = index < frames.count - 1
            try fill(message, with: frame)
            try send(message, on: open, flags: mode.flags | (more ? ZMQ_SNDMORE : 0), waiting: mode == .wait)
        }
    }

    /// Receives one multipart message, all of its frames.
    ///
    /// - Parameter mode: `.dontWait` to throw `.wouldBlock` instead of waiting for a message.
    /// - Returns: the frames, at least one, each possibly empty.
    /// - Throws: `.wouldBlock`, `.timedOut` (`receiveTimeout` expired), `.contextTerminated`,
    ///   `.socketClosed`, or `.failure` (e.g. `EFSM` for REP receiving twice without replying).
    ///   Frames after the first are already queued (delivery is atomic), so they never wait.
    public func receive(mode: WaitMode = .wait) throws(ZMQError) -> [[UInt8]] {
        let open = try openHandle()
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        zmq_msg_init(message)
        defer {
            zmq_msg_close(message)
            message.deallocate()
        }
        var frames: [[UInt8]] = []
        repeat {
            while zmq_msg_recv(message, open, mode.flags) < 0 {
                let code = zmq_errno()
                guard code == EINTR else {
                    throw .from(errno: code, operation: "zmq_msg_recv on \(type)", waiting: mode == .wait)
                }
            }
            frames.append(bytes(of: message))
        } while zmq_msg_more(message) != 0
        return frames
    }

    /// Receives one message if one is queued now, or returns `nil`; for drain-until-empty loops.
    ///
    /// - Throws: the errors of `receive(mode:)` other than `.wouldBlock`.
    public func receiveIfAvailable() throws(ZMQError) -> [[UInt8]]? {
        do throws(ZMQError) {
            return try receive(mode: .dontWait)
        } catch .wouldBlock {
            return nil
        }
    }

    /// Initialises `message` with a copy of the frame's bytes.
    private func fill(_ message: UnsafeMutablePointer<zmq_msg_t>, with frame: any FrameBytes) throws(ZMQError) {
        let status = frame.withFrameBytes { bytes -> Int32 in
            guard zmq_msg_init_size(message, bytes.count) == 0 else { return -1 }
            if let source = bytes.baseAddress, let target = zmq_msg_data(message), bytes.count > 0 {
                target.copyMemory(from: source, byteCount: bytes.count)
            }
            return 0
        }
        guard status == 0 else { throw .last("zmq_msg_init_size") }
    }

    /// Sends an initialised message, which libzmq then owns; on failure the message is released here.
    private func send(
        _ message: UnsafeMutablePointer<zmq_msg_t>, on open: UnsafeMutableRawPointer, flags: Int32, waiting: Bool
    ) throws(ZMQError) {
        while zmq_msg_send(message, open, flags) < 0 {
            let code = zmq_errno()
            guard code == EINTR else {
                zmq_msg_close(message)
                throw .from(errno: code, operation: "zmq_msg_send on \(type)", waiting: waiting)
            }
        }
    }

    /// A copy of a received frame's bytes.
    private func bytes(of message: UnsafeMutablePointer<zmq_msg_t>) -> [UInt8] {
        let count = zmq_msg_size(message)
        guard count > 0, let source = zmq_msg_data(message) else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let target = buffer.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count)
            }
            initialized = count
        }
    }
}
