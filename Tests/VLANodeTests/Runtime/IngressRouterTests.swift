import Logging
import Messages
import XCTest
@testable import VLANode

final class IngressRouterTests: XCTestCase {
    private var frames: LatestValueMailbox<ObservedFrame>!
    private var instructions: LatestValueMailbox<String>!
    private var statistics: NodeStatistics!
    private var counters: NodeCounters { statistics.counters }
    private var router: IngressRouter!
    private var scheduler: ActionScheduler!

    override func setUpWithError() throws {
        let topics = try TestMessages.defaultTopics()
        frames = LatestValueMailbox()
        instructions = LatestValueMailbox()
        statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        scheduler = try ActionScheduler(policy: .chunking, periodNanoseconds: 1)
        let quiet = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        router = IngressRouter(topics: topics, frames: frames,
                               instructions: InstructionIngress(mailbox: instructions, scheduler: scheduler, counters: counters),
                               resets: EpisodeReset(scheduler: scheduler, counters: counters, clock: ManualClock(start: 900), logger: quiet),
                               statistics: statistics, logger: quiet)
    }

    /// `/vla/reset` on the instruction's endpoint by default: an Empty message (rosbags' bytes
    /// `00 01 00 00 00`) clears the scheduler's chunks and starts an episode at the reset's time; any
    /// other payload is refused and counted.
    func testResetTopicStartsANewEpisode() throws {
        try scheduler.submit(StampedChunk(observationTime: 10, actions: [[1]], instructionSequence: 0))
        let topic = Array("/vla/reset".utf8)
        XCTAssertEqual(router.route([topic, [0x00, 0x01, 0x00, 0x00, 0x00]], receivedAt: 1),
                       .reset(EpisodeReset.Outcome(episode: 1, clearedChunks: 1)))
        XCTAssertEqual(scheduler.episode, Episode(number: 1, startTime: 900))
        XCTAssertEqual(scheduler.retainedChunkCount, 0)
        XCTAssertThrowsError(try scheduler.submit(StampedChunk(observationTime: 20, actions: [[1]], instructionSequence: 0))) {
            XCTAssertEqual($0 as? ChunkRejection, .staleEpisode(chunk: 0, current: 1))
        }
        guard case .malformed(topic: "/vla/reset", _) = router.route([topic, [0x00, 0x01, 0x00]], receivedAt: 2) else {
            return XCTFail("a truncated Empty must be refused")
        }
        XCTAssertEqual(counters.snapshot().malformedByTopic["/vla/reset"], 1)
        XCTAssertEqual(counters.snapshot()[.episodeResets], 1)
    }

    func testValidFrameGoesToTheMailboxWithReceiveTimeAndStamp() throws {
        let payload = TestMessages.image(width: 4, height: 2, stampNanoseconds: 7_000_000_123).cdrBytes()
        XCTAssertEqual(router.route([Array("/camera/image_raw".utf8), payload], receivedAt: 55), .frame)
        let taken: Versioned<ObservedFrame> = try XCTUnwrap(frames!.take())
        XCTAssertEqual(taken.value.message, payload)
        XCTAssertEqual(taken.value.receivedAt, 55)
        XCTAssertEqual(taken.value.stamp, 7_000_000_123)
        XCTAssertEqual(statistics.summary(frames: MailboxCounts()).ingress?.count, 1)
    }

    func testTopicsMatchExactlyAndBadMessagesAreCountedPerTopic() {
        let image = TestMessages.image(width: 4, height: 2).cdrBytes()
        XCTAssertEqual(router.route([Array("/camera/image_raw/compressed".utf8), image], receivedAt: 1),
                       .unknownTopic("/camera/image_raw/compressed"))
        XCTAssertEqual(router.route([Array("/camera".utf8), image], receivedAt: 1), .unknownTopic("/camera"))
        XCTAssertEqual(router.route([], receivedAt: 1), .malformed(topic: "(no frames)", reason: "empty message"))
        guard case .malformed(topic: "/camera/image_raw", _) = router.route([Array("/camera/image_raw".utf8)], receivedAt: 1),
              case .malformed(topic: "/instruction", _) = router.route([Array("/instruction".utf8), [1, 2, 3]], receivedAt: 1),
              case .malformed(topic: "/camera/image_raw", _) = router.route([Array("/camera/image_raw".utf8), image, []], receivedAt: 1)
        else { return XCTFail("expected malformed outcomes") }
        XCTAssertNil(frames!.take())  // `!`: Optional.take() would empty the property
        let snapshot = counters.snapshot()
        XCTAssertEqual(snapshot[.unknownTopics], 2)
        XCTAssertEqual(snapshot.malformedByTopic, ["/camera/image_raw": 2, "/instruction": 1, "(no frames)": 1])
    }

    func testInstructionsAreValidatedAndRepeatsChangeNothing() {
        let send = { (text: String) in
            self.router.route(WireFormat.frames(topic: "/instruction", message: StringMessage(data: text)), receivedAt: 1)
        }
        XCTAssertEqual(send("  pick the cup "), .instruction(.changed(sequence: 1)))
        XCTAssertEqual(send("pick the cup"), .instruction(.unchanged(sequence: 1)))
        guard case .malformed = send(""), case .malformed = send(String(repeating: "a", count: 2000)) else {
            return XCTFail("empty and oversized instructions must be refused")
        }
        XCTAssertEqual(instructions.latest()?.value, "pick the cup")
        XCTAssertEqual(counters.snapshot()[.instructionsRejected], 2)
        XCTAssertEqual(send("place it"), .instruction(.changed(sequence: 2)))
    }

    func testOnlyAcceptedMessagesCountAsAccepted() {
        let image = TestMessages.image(width: 4, height: 2).cdrBytes()
        let zeroLengthString: [UInt8] = [0, 1, 0, 0, 0, 0, 0, 0]
        XCTAssertTrue(router.route([Array("/camera/image_raw".utf8), image], receivedAt: 1).isAccepted)
        XCTAssertTrue(router.route(WireFormat.frames(topic: "/instruction", message: StringMessage(data: "go")), receivedAt: 1).isAccepted)
        XCTAssertTrue(router.route(WireFormat.frames(topic: "/instruction", message: StringMessage(data: "go")), receivedAt: 1).isAccepted,
                      "a repeat is accepted (and recorded) too")
        for refused in [[Array("/instruction".utf8), zeroLengthString], [Array("/instruction".utf8), StringMessage(data: " ").cdrBytes()],
                        [Array("/camera/image_raw".utf8), Array(image.dropLast(9))], [Array("/camera/image_raw_2".utf8), image]] {
            XCTAssertFalse(router.route(refused, receivedAt: 1).isAccepted, "\(refused)")
        }
    }
}
