import XCTest
import ZMQ

final class PubSubTests: XCTestCase {
    func testPubSubOverInproc() throws {
        let context = try Context()
        let (publisher, subscriber) = try inprocPair(context, bound: .pub, connected: .sub)
        try subscriber.subscribe(to: "")

        let message = try publishUntilDelivered(["/camera", [0, 1, 2, 0]], from: publisher, to: subscriber)
        XCTAssertEqual(message, [utf8("/camera"), [0, 1, 2, 0]])
    }

    func testPubSubOverLoopbackTCPWithEphemeralPort() throws {
        let context = try Context()
        let publisher = try context.makeSocket(.pub)
        try publisher.bind("tcp://127.0.0.1:*")
        let endpoint = try XCTUnwrap(try publisher.lastEndpoint)
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        let port = try XCTUnwrap(Int(endpoint.split(separator: ":").last ?? ""))
        XCTAssertGreaterThan(port, 0)

        let subscriber = try context.makeSocket(.sub)
        try subscriber.connect(endpoint)
        XCTAssertEqual(try subscriber.lastEndpoint, endpoint)
        try subscriber.subscribe(to: "/cmd")

        let message = try publishUntilDelivered(["/cmd", "go"], from: publisher, to: subscriber)
        XCTAssertEqual(message, [utf8("/cmd"), utf8("go")])
    }

    func testSubscriptionIsAPrefixFilterOnTheFirstFrame() throws {
        let context = try Context()
        let (publisher, subscriber) = try inprocPair(context, bound: .pub, connected: .sub)
        try subscriber.subscribe(to: "a")
        try subscriber.subscribe(to: "z")

        _ = try publishUntilDelivered(["z-sync"], from: publisher, to: subscriber)
        for topic in ["b", "ab", "ba", "a", "z-end"] {
            try publisher.send([topic, "payload"])
        }
        let topics = try drain(subscriber).compactMap { $0.first }.filter { $0 != utf8("z-sync") }
        XCTAssertEqual(topics, [utf8("ab"), utf8("a"), utf8("z-end")])

        // SUB sockets also filter locally, so an unsubscribe takes effect for the very next message.
        try subscriber.unsubscribe(from: "a")
        try publisher.send(["a-after", "payload"])
        try publisher.send(["z-after", "payload"])
        XCTAssertEqual(try receive(from: subscriber).first, utf8("z-after"))
        XCTAssertNil(try subscriber.receiveIfAvailable())
    }

    func testSlowSubscriberMakesPublisherDropWithoutBlocking() throws {
        let context = try Context()
        let endpoint = inprocEndpoint()
        let highWaterMark = 10
        let publisher = try context.makeSocket(.pub)
        try publisher.setOption(.sendHighWaterMark, highWaterMark)
        try publisher.bind(endpoint)
        let subscriber = try context.makeSocket(.sub)
        try subscriber.setOption(.receiveHighWaterMark, highWaterMark)
        try subscriber.connect(endpoint)
        try subscriber.subscribe(to: "")
        _ = try publishUntilDelivered(["sync"], from: publisher, to: subscriber)
        _ = try drain(subscriber, quiet: .milliseconds(50))

        // The subscriber reads nothing while the publisher sends; a PUB must drop, never block.
        let sent = 10_000
        let payload = [UInt8](repeating: 0xAB, count: 256)
        for sequence in 0..<sent {
            try publisher.send(["data", withUnsafeBytes(of: UInt32(sequence)) { Array($0) }, payload], mode: .dontWait)
        }
        let received = try drain(subscriber).filter { $0.first == utf8("data") }

        XCTAssertGreaterThan(received.count, 0)
        XCTAssertLessThan(received.count, sent)
        // inproc queues hold SNDHWM + RCVHWM messages; allow slack but far below the default HWM of 1000.
        XCTAssertLessThanOrEqual(received.count, 4 * highWaterMark)
        // What survives is the oldest messages, in order: HWM drops the new ones.
        XCTAssertEqual(received.first?[1], [0, 0, 0, 0])
    }

    func testXPubSeesSubscriptionsAndXSubSendsThem() throws {
        let context = try Context()
        let xpubEndpoint = inprocEndpoint("xpub")
        let xpub = try context.makeSocket(.xpub)
        try xpub.bind(xpubEndpoint)
        let subscriber = try context.makeSocket(.sub)
        try subscriber.connect(xpubEndpoint)
        try subscriber.subscribe(to: "t")
        XCTAssertEqual(try receive(from: xpub), [[0x01] + utf8("t")])
        try subscriber.unsubscribe(from: "t")
        XCTAssertEqual(try receive(from: xpub), [[0x00] + utf8("t")])

        let pubEndpoint = inprocEndpoint("pub")
        let publisher = try context.makeSocket(.pub)
        try publisher.bind(pubEndpoint)
        let xsub = try context.makeSocket(.xsub)
        try xsub.connect(pubEndpoint)
        try xsub.send([[0x01] + utf8("x")])
        let message = try publishUntilDelivered(["x1"], from: publisher, to: xsub)
        XCTAssertEqual(message, [utf8("x1")])
    }
}
