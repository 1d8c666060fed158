import Foundation
import XCTest
import ZMQ

final class SocketOptionTests: XCTestCase {
    func testDefaultsOfANewSocket() throws {
        let socket = try Context().makeSocket(.sub)
        // libzmq defaults (src/options.cpp), except linger, which this module sets to zero.
        XCTAssertEqual(try socket.option(.linger), .zero)
        XCTAssertEqual(try socket.option(.sendHighWaterMark), 1000)
        XCTAssertEqual(try socket.option(.receiveHighWaterMark), 1000)
        XCTAssertNil(try socket.option(.receiveTimeout))
        XCTAssertNil(try socket.option(.sendTimeout))
        XCTAssertNil(try socket.option(.maxMessageSize))
        XCTAssertEqual(try socket.option(.tcpKeepalive), .systemDefault)
        XCTAssertNil(try socket.option(.tcpKeepaliveIdle))
        XCTAssertNil(try socket.option(.tcpKeepaliveInterval))
        XCTAssertNil(try socket.option(.tcpKeepaliveCount))
        XCTAssertFalse(try socket.option(.immediate))
        XCTAssertNil(try socket.lastEndpoint)
    }

    func testEveryOptionRoundTripsThroughLibzmq() throws {
        let socket = try Context().makeSocket(.sub)
        try socket.setOption(.sendHighWaterMark, 7)
        try socket.setOption(.receiveHighWaterMark, 0)
        try socket.setOption(.linger, nil)
        try socket.setOption(.receiveTimeout, .milliseconds(250))
        try socket.setOption(.sendTimeout, .microseconds(1500))  // rounded up to whole milliseconds
        try socket.setOption(.maxMessageSize, 8 << 20)
        try socket.setOption(.conflate, true)
        try socket.setOption(.immediate, true)
        try socket.setOption(.tcpKeepalive, .enabled)
        try socket.setOption(.tcpKeepaliveIdle, .seconds(30))
        try socket.setOption(.tcpKeepaliveInterval, .milliseconds(4500))  // rounded up to whole seconds
        try socket.setOption(.tcpKeepaliveCount, 3)

        XCTAssertEqual(try socket.option(.sendHighWaterMark), 7)
        XCTAssertEqual(try socket.option(.receiveHighWaterMark), 0)
        XCTAssertNil(try socket.option(.linger))
        XCTAssertEqual(try socket.option(.receiveTimeout), .milliseconds(250))
        XCTAssertEqual(try socket.option(.sendTimeout), .milliseconds(2))
        XCTAssertEqual(try socket.option(.maxMessageSize), 8 << 20)
        XCTAssertTrue(try socket.option(.conflate))
        XCTAssertTrue(try socket.option(.immediate))
        XCTAssertEqual(try socket.option(.tcpKeepalive), .enabled)
        XCTAssertEqual(try socket.option(.tcpKeepaliveIdle), .seconds(30))
        XCTAssertEqual(try socket.option(.tcpKeepaliveInterval), .seconds(5))
        XCTAssertEqual(try socket.option(.tcpKeepaliveCount), 3)

        try socket.setOption(.tcpKeepalive, .disabled)
        XCTAssertEqual(try socket.option(.tcpKeepalive), .disabled)
    }

    func testOutOfRangeValuesAreRejectedBeforeReachingLibzmq() throws {
        let socket = try Context().makeSocket(.pub)
        let rejected: [(String, () throws -> Void)] = [
            ("negative HWM", { try socket.setOption(.sendHighWaterMark, -1) }),
            ("HWM beyond Int32", { try socket.setOption(.receiveHighWaterMark, Int(Int32.max) + 1) }),
            ("negative timeout", { try socket.setOption(.receiveTimeout, .milliseconds(-5)) }),
            ("negative size", { try socket.setOption(.maxMessageSize, -2) }),
        ]
        for (label, call) in rejected {
            XCTAssertThrowsError(try call(), label) { error in
                guard case .invalidArgument(let reason) = error as? ZMQError else { return XCTFail("\(label): \(error)") }
                XCTAssertFalse(reason.isEmpty)
            }
        }
        XCTAssertEqual(try socket.option(.sendHighWaterMark), 1000, "a rejected value must not be applied")
    }

    func testConflateKeepsOnlyTheNewestMessage() throws {
        let context = try Context()
        let endpoint = inprocEndpoint()
        let push = try context.makeSocket(.push)
        try push.bind(endpoint)
        let pull = try context.makeSocket(.pull)
        try pull.setOption(.conflate, true)
        try pull.connect(endpoint)  // inproc pipes take the connecting side's CONFLATE setting
        // inproc sends land in the pipe before `send` returns, so all five are queued before the receive.
        for index in 0..<5 {
            try push.send(["m\(index)"])
        }
        XCTAssertEqual(try receive(from: pull), [utf8("m4")])
        XCTAssertNil(try pull.receiveIfAvailable())
    }

    func testImmediateRefusesToQueueForUnfinishedConnections() throws {
        let context = try Context()
        let (unreachable, portHolder) = try refusingLoopbackEndpoint()
        defer { close(portHolder) }

        let eager = try context.makeSocket(.push)
        try eager.connect(unreachable)
        XCTAssertNoThrow(try eager.send(["queued"], mode: .dontWait))

        let immediate = try context.makeSocket(.push)
        try immediate.setOption(.immediate, true)
        try immediate.connect(unreachable)
        XCTAssertThrowsError(try immediate.send(["refused"], mode: .dontWait)) { error in
            XCTAssertEqual(error as? ZMQError, .wouldBlock)
        }
    }

    /// libzmq stores timeouts as a C `int` of milliseconds: longer durations saturate instead of trapping.
    func testDurationsBeyondTheIntRangeSaturate() throws {
        let socket = try Context().makeSocket(.pull)
        try socket.setOption(.receiveTimeout, .seconds(Int64(Int32.max)))
        XCTAssertEqual(try socket.option(.receiveTimeout), .milliseconds(Int32.max))
        try socket.setOption(.tcpKeepaliveIdle, .seconds(Int64.max))
        XCTAssertEqual(try socket.option(.tcpKeepaliveIdle), .seconds(Int32.max))
    }
}
