import XCTest
import ZMQ

final class TimeoutAndPollerTests: XCTestCase {
    func testReceiveTimeoutExpiresAsTypedTimeout() throws {
        let context = try Context()
        let pull = try context.makeSocket(.pull)
        try pull.bind(inprocEndpoint())
        try pull.setOption(.receiveTimeout, .milliseconds(100))

        let start = ContinuousClock.now
        XCTAssertThrowsError(try pull.receive()) { error in
            XCTAssertEqual(error as? ZMQError, .timedOut)
            XCTAssertEqual((error as? ZMQError)?.errno, EAGAIN)
        }
        let waited = ContinuousClock.now - start
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(90))
        XCTAssertLessThan(waited, .seconds(2))
    }

    func testDontWaitReportsWouldBlockAndReceiveIfAvailableReportsNil() throws {
        let context = try Context()
        let pull = try context.makeSocket(.pull)
        try pull.bind(inprocEndpoint())
        XCTAssertThrowsError(try pull.receive(mode: .dontWait)) { error in
            XCTAssertEqual(error as? ZMQError, .wouldBlock)
        }
        XCTAssertNil(try pull.receiveIfAvailable())

        // A PUSH with no peer has nowhere to queue, so a non-blocking send cannot proceed either.
        let push = try context.makeSocket(.push)
        XCTAssertThrowsError(try push.send(["x"], mode: .dontWait)) { error in
            XCTAssertEqual(error as? ZMQError, .wouldBlock)
        }
    }

    func testSendTimeoutExpiresAsTypedTimeout() throws {
        let context = try Context()
        let push = try context.makeSocket(.push)
        try push.setOption(.sendTimeout, .milliseconds(50))
        XCTAssertThrowsError(try push.send(["x"])) { error in
            XCTAssertEqual(error as? ZMQError, .timedOut)
        }
    }

    func testPollerReportsOnlyTheSocketWithData() throws {
        let context = try Context()
        let endpointA = inprocEndpoint("a")
        let endpointB = inprocEndpoint("b")
        let pullA = try context.makeSocket(.pull)
        try pullA.bind(endpointA)
        let pullB = try context.makeSocket(.pull)
        try pullB.bind(endpointB)
        let pushA = try context.makeSocket(.push)
        try pushA.connect(endpointA)
        let pushB = try context.makeSocket(.push)
        try pushB.connect(endpointB)

        var poller = Poller()
        poller.register(pullA)
        poller.register(pullB)
        try pushA.send(["for a"])

        let result = try poller.poll(timeout: .seconds(2))
        XCTAssertEqual(result.events(for: pullA), .readable)
        XCTAssertEqual(result.events(for: pullB), [])
        XCTAssertEqual(result.ready.count, 1)
        XCTAssertTrue(result.ready.first?.socket === pullA)

        XCTAssertEqual(try pullA.receive(mode: .dontWait), [utf8("for a")])
        let start = ContinuousClock.now
        XCTAssertTrue(try poller.poll(timeout: .milliseconds(50)).isEmpty)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(45))

        try pushB.send(["for b"])
        let second = try poller.poll(timeout: .seconds(2))
        XCTAssertEqual(second.events(for: pullA), [])
        XCTAssertEqual(second.events(for: pullB), .readable)
    }

    func testPollerReportsWritableSocketsAndRejectsClosedOnes() throws {
        let context = try Context()
        let endpoint = inprocEndpoint()
        let pull = try context.makeSocket(.pull)
        try pull.bind(endpoint)
        let push = try context.makeSocket(.push)
        let idle = try context.makeSocket(.push)  // no peer: never writable

        var poller = Poller()
        poller.register(push, for: [.readable, .writable])
        poller.register(idle, for: .writable)
        XCTAssertTrue(try poller.poll(timeout: .zero).isEmpty)

        try push.connect(endpoint)
        let result = try poller.poll(timeout: .seconds(2))
        XCTAssertEqual(result.events(for: push), .writable)
        XCTAssertEqual(result.events(for: idle), [])

        idle.close()
        XCTAssertThrowsError(try poller.poll(timeout: .zero)) { error in
            XCTAssertEqual(error as? ZMQError, .socketClosed)
        }
        poller.unregister(idle)
        XCTAssertEqual(try poller.poll(timeout: .zero).events(for: push), .writable)
    }
}
