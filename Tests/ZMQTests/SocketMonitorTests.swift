import Foundation
import XCTest
import ZMQ

/// `SocketMonitor` over real TCP connections, and the libzmq behaviour the node's reconnects rest on:
/// a message above `maxMessageSize` ends a connecting SUB's session for good, and only a fresh
/// `connect` brings the publisher back.
final class SocketMonitorTests: XCTestCase {
    private func nextEvent(_ monitor: SocketMonitor, _ kind: SocketEvent.Kind, within limit: Duration = .seconds(3)) throws -> SocketEvent {
        var poller = Poller()
        poller.register(monitor.eventSocket)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            _ = try poller.poll(timeout: .milliseconds(50))
            while let event = try monitor.nextEvent() {
                if event.kind == kind { return event }
            }
        }
        throw TestTimedOut(what: "event \(kind)")
    }

    func testOversizedMessageDisconnectsForGoodUntilTheSubscriberConnectsAgain() throws {
        let context = try Context()
        let publisher = try context.makeSocket(.pub)
        try publisher.bind("tcp://127.0.0.1:*")
        let address = try XCTUnwrap(try publisher.lastEndpoint)
        let subscriber = try context.makeSocket(.sub)
        try subscriber.setOption(.maxMessageSize, 1_000)
        let monitor = try SocketMonitor(watching: subscriber, address: inprocEndpoint(), events: [.connected, .disconnected])
        try subscriber.connect(address)
        try subscriber.subscribe(to: "")
        XCTAssertEqual(try nextEvent(monitor, .connected).endpoint, address)
        XCTAssertEqual(try publishUntilDelivered(["small"], from: publisher, to: subscriber), [utf8("small")])

        try publisher.send([[UInt8](repeating: 7, count: 2_000)])
        XCTAssertEqual(try nextEvent(monitor, .disconnected).endpoint, address)
        // libzmq treats the oversized message as a protocol error: no reconnect, nothing arrives.
        for _ in 0..<30 {
            try publisher.send(["lost"], mode: .dontWait)
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertEqual(try drain(subscriber, quiet: .milliseconds(100)).count, 0, "libzmq reconnected by itself")

        try? subscriber.disconnect(address)
        try subscriber.connect(address)
        XCTAssertEqual(try publishUntilDelivered(["back"], from: publisher, to: subscriber), [utf8("back")])
        monitor.close()
        subscriber.close()
        publisher.close()
    }

    func testMonitorAddressMustBeInproc() throws {
        let context = try Context()
        let socket = try context.makeSocket(.sub)
        XCTAssertThrowsError(try SocketMonitor(watching: socket, address: "tcp://127.0.0.1:5999")) {
            guard case ZMQError.invalidArgument = $0 else { return XCTFail("\($0)") }
        }
    }
}
