import XCTest
import ZMQ

final class PatternTests: XCTestCase {
    func testPushPullDeliversInOrder() throws {
        let context = try Context()
        let (pull, push) = try inprocPair(context, bound: .pull, connected: .push)
        for index in 0..<5 {
            try push.send([[UInt8(index)]])
        }
        let received = try (0..<5).map { _ in try receive(from: pull) }
        XCTAssertEqual(received, (0..<5).map { [[UInt8($0)]] })
    }

    func testRequestReplyRoundTripOverTCP() throws {
        let context = try Context()
        let reply = try context.makeSocket(.rep)
        try reply.bind("tcp://127.0.0.1:*")
        let request = try context.makeSocket(.req)
        try request.connect(try XCTUnwrap(try reply.lastEndpoint))

        try request.send(["ping", [0, 1]])
        XCTAssertEqual(try receive(from: reply), [utf8("ping"), [0, 1]])
        try reply.send(["pong"])
        XCTAssertEqual(try receive(from: request), [utf8("pong")])
    }

    func testRequestSocketOutOfTurnFailsWithLibzmqStateError() throws {
        let context = try Context()
        let request = try context.makeSocket(.req)
        try request.connect(inprocEndpoint())
        try request.send(["first"])
        XCTAssertThrowsError(try request.send(["second"])) { error in
            // zmq.h: EFSM = ZMQ_HAUSNUMERO (156384712) + 51; the text is libzmq's zmq_strerror(EFSM).
            guard case .failure(let operation, let code, let message) = error as? ZMQError else {
                return XCTFail("expected a libzmq failure, got \(error)")
            }
            XCTAssertEqual(code, 156_384_763)
            XCTAssertEqual((error as? ZMQError)?.errno, 156_384_763)
            XCTAssertEqual(message, "Operation cannot be accomplished in current state")
            XCTAssertTrue(operation.contains("zmq_msg_send"), operation)
            XCTAssertTrue("\(error)".contains(message))
        }
    }

    func testRouterDealerCarryRoutingEnvelope() throws {
        let context = try Context()
        let (router, dealer) = try inprocPair(context, bound: .router, connected: .dealer)

        try dealer.send(["job", [0, 42]])
        let request = try receive(from: router)
        XCTAssertEqual(request.count, 3, "routing id + two frames")
        XCTAssertEqual(Array(request.dropFirst()), [utf8("job"), [0, 42]])
        let routingID = try XCTUnwrap(request.first)
        XCTAssertFalse(routingID.isEmpty)

        try router.send([routingID, "done"])
        XCTAssertEqual(try receive(from: dealer), [utf8("done")])
    }
}
