import Foundation
import XCTest
import ZMQ

/// A bounded wait in a test ran out.
struct TestTimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Publishes `frames` every 10 ms until `subscriber` receives a message (the slow-joiner handshake),
/// and returns that message. Gives up after `limit`.
func publishUntilDelivered(
    _ frames: [any FrameBytes], from publisher: Socket, to subscriber: Socket, within limit: Duration = .seconds(3)
) throws -> [[UInt8]] {
    var poller = Poller()
    poller.register(subscriber)
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        try publisher.send(frames, mode: .dontWait)
        if !(try poller.poll(timeout: .milliseconds(10))).isEmpty {
            return try subscriber.receive()
        }
    }
    throw TestTimedOut(what: "the first delivered message")
}

/// Receives one message, failing with `TestTimedOut` instead of blocking longer than `limit`.
func receive(from socket: Socket, within limit: Duration = .seconds(3)) throws -> [[UInt8]] {
    var poller = Poller()
    poller.register(socket)
    guard !(try poller.poll(timeout: limit)).isEmpty else { throw TestTimedOut(what: "a message") }
    return try socket.receive(mode: .dontWait)
}

/// Receives every message already queued on `socket`, waiting until none arrives for `quiet`.
func drain(_ socket: Socket, quiet: Duration = .milliseconds(200)) throws -> [[[UInt8]]] {
    var poller = Poller()
    poller.register(socket)
    var messages: [[[UInt8]]] = []
    while !(try poller.poll(timeout: quiet)).isEmpty {
        while let message = try socket.receiveIfAvailable() {
            messages.append(message)
        }
    }
    return messages
}

/// The UTF-8 bytes of a string, for comparing received frames.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A unique inproc endpoint name, so tests never share one.
func inprocEndpoint(_ name: String = #function) -> String { "inproc://\(name)-\(UUID().uuidString)" }

/// A loopback TCP port that refuses connections: bound by a plain socket that never listens, so no
/// one else can take it while the returned handle is open. Close the handle with `close(fd)`.
func refusingLoopbackEndpoint() throws -> (endpoint: String, fd: Int32) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw TestTimedOut(what: "a TCP socket (errno \(errno))") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
        }
    }
    guard bound else {
        close(fd)
        throw TestTimedOut(what: "an ephemeral loopback port (errno \(errno))")
    }
    return ("tcp://127.0.0.1:\(UInt16(bigEndian: address.sin_port))", fd)
}

/// Retries `body` every 10 ms until it stops throwing, for effects libzmq applies asynchronously.
func eventually<T>(within limit: Duration = .seconds(2), _ body: () throws -> T) throws -> T {
    let deadline = ContinuousClock.now + limit
    while true {
        do {
            return try body()
        } catch where ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}

/// A value set by one thread and read by another.
final class Shared<Value>: @unchecked Sendable {  // every access goes through `lock`
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A socket of type `bound` bound to a fresh inproc endpoint, and one of type `connected` connected to it.
func inprocPair(_ context: Context, bound: SocketType, connected: SocketType) throws -> (bound: Socket, connected: Socket) {
    let endpoint = inprocEndpoint()
    let boundSocket = try context.makeSocket(bound)
    try boundSocket.bind(endpoint)
    let connectedSocket = try context.makeSocket(connected)
    try connectedSocket.connect(endpoint)
    return (boundSocket, connectedSocket)
}
