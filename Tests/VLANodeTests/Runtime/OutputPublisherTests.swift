import Messages
import XCTest
import ZMQ
@testable import VLANode

/// The publisher over real inproc sockets: message contents derived from known clock readings.
final class OutputPublisherTests: XCTestCase {
    private var context: ZMQ.Context!
    private var receiver: Socket!
    private var publisher: OutputPublisher!
    private var clock: ManualClock!
    private var statistics: NodeStatistics!
    private var frames: LatestValueMailbox<ObservedFrame>!
    // Monotonic 1 s ↔ wall 1_700_000_000 s.
    private let anchor = WallClockAnchor(monotonic: 1_000_000_000, wallNanoseconds: 1_700_000_000_000_000_000)

    override func setUpWithError() throws {
        context = try ZMQ.Context()
        let address = "inproc://outputs-\(UUID().uuidString)"
        let socket = try context.makeSocket(.pub)
        try socket.bind(address)
        receiver = try context.makeSocket(.sub)
        try receiver.connect(address)
        try receiver.subscribe(to: "")
        clock = ManualClock(start: 2_000_000_000)
        statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        frames = LatestValueMailbox()
        let topics = try TestMessages.defaultTopics()
        let acceleration = AccelerationReport(llmLayersKept: 4, llmLayersTotal: 6, visualTokensKept: 256, visualTokensTotal: 256,
                                              cacheInterval: 1, diffusionSteps: 10)
        publisher = OutputPublisher(
            topics: topics, sockets: ["/vla/action_chunk": socket, "/vla/latency": socket],
            context: .init(anchor: anchor, clock: clock, controlPeriodSeconds: 0.2, statistics: statistics, frames: frames,
                           acceleration: acceleration),
            recorder: nil)
    }

    override func tearDown() {
        publisher.close()
        receiver.close()
    }

    private func received() throws -> [[[UInt8]]] {
        var messages: [[[UInt8]]] = []
        while let message = try receiver.receiveIfAvailable() { messages.append(message) }
        return messages
    }

    func testChunkIsStampedWithTheTickAndCarriesTheChunkWithItsCurrentIndex() throws {
        let actions: [[Float]] = [[1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14]]
        try publisher.publish(ScheduledActions(tickTime: 3_400_000_000, actions: actions, droppedActions: 1,
                                               contributingChunks: 1, observationTime: 3_000_000_000,
                                               inferenceSequence: 9, observationStamp: 1_699_999_999_123_000_000,
                                               currentIndex: 1))
        let messages = try received()
        XCTAssertEqual(messages.count, 1)
        let chunk = try XCTUnwrap(WireFormat.decode(messages[0], topic: "/vla/action_chunk", as: ActionChunk.self))
        XCTAssertEqual(chunk.header.stamp, Time(sec: 1_700_000_002, nanosec: 400_000_000))  // 1.7e9 s + (3.4 − 1) s
        XCTAssertEqual(chunk.observationStamp, Time(sec: 1_699_999_999, nanosec: 123_000_000))
        XCTAssertEqual(chunk.inferenceSequence, 9)
        XCTAssertEqual(chunk.publishSequence, 1)
        XCTAssertEqual(chunk.horizon, 2)
        XCTAssertEqual(chunk.actionDimension, 7)
        XCTAssertEqual(chunk.actions, Array(1...14).map(Float.init))
        XCTAssertEqual(chunk.currentIndex, 1)
        XCTAssertEqual(chunk.controlPeriod, 0.2)
        XCTAssertEqual(chunk.dimensionNames, ["x", "y", "z", "roll", "pitch", "yaw", "gripper"])
    }

    func testLatencyReportWaitsForTheTickAndMeasuresFromTheFrameStamp() throws {
        frames.put(ObservedFrame(message: [], receivedAt: 0))
        frames.put(ObservedFrame(message: [], receivedAt: 0))  // one skipped
        statistics.counters.recordMalformed(topic: "/camera/image_raw")
        statistics.counters.increment(.unknownTopics)
        statistics.counters.increment(.deadlineMisses, by: 3)
        // Frame stamped at wall 1_700_000_001.0 s, received at monotonic 2.05 s (wall …001.05),
        // inference from 2.1 s to 2.3 s, report sent at 2.4 s (wall …001.4).
        let report = InferenceReport(
            sequence: 5, frameSequence: 2, instructionSequence: 1, observationTime: 2_050_000_000, startTime: 2_100_000_000,
            endTime: 2_300_000_000, stages: [StageTiming(name: "llm", milliseconds: 150), StageTiming(name: "vision", milliseconds: 40)],
            chunkLength: 16, outcome: .accepted, frameStamp: 1_700_000_001_000_000_000, gflop: 2.5,
            visualTokensKept: 56, tokenReuse: VisualTokenReuse(reused: 150, recomputed: 106, refreshReason: nil))
        try publisher.publish(report)
        XCTAssertTrue(try received().isEmpty, "reports wait for the end of the next tick")
        clock.advance(by: 400_000_000)
        let tick = Tick(index: 2, scheduled: 2_400_000_000, actual: 2_400_000_000, skippedTicks: 0)
        publisher.tickDeciding(tick)
        publisher.tickEnded(tick, outcome: .deadlineMiss(.chunkExhausted))
        let messages = try received()
        XCTAssertEqual(messages.count, 1)
        let latency = try XCTUnwrap(WireFormat.decode(messages[0], topic: "/vla/latency", as: InferenceLatency.self))
        XCTAssertEqual(latency.header.stamp, Time(sec: 1_700_000_001, nanosec: 400_000_000))
        XCTAssertEqual(latency.sequence, 1)
        XCTAssertEqual(latency.inferenceSequence, 5)
        XCTAssertEqual(latency.observationStamp, Time(sec: 1_700_000_001, nanosec: 0))
        XCTAssertEqual(latency.inferenceMs, 200, accuracy: 1e-9)
        XCTAssertEqual(latency.endToEndMs, 400, accuracy: 1e-9)
        XCTAssertEqual(latency.frameAgeMs, 100, accuracy: 1e-9)
        XCTAssertEqual(latency.llmMs, 150)
        XCTAssertEqual(latency.visionMs, 40)
        XCTAssertEqual(latency.actionHeadMs, 0)
        XCTAssertEqual(latency.framesReceived, 2)
        XCTAssertEqual(latency.framesSkipped, 1)
        XCTAssertEqual(latency.queueDrops, 2)
        XCTAssertEqual(latency.deadlineMisses, 3)
        XCTAssertEqual(latency.gflops, 2.5)
        XCTAssertEqual([latency.llmLayersKept, latency.llmLayersTotal, latency.diffusionSteps, latency.cacheInterval], [4, 6, 10, 1])
        XCTAssertEqual(latency.visualTokensKept, 56, "the inference's own count wins over the start-up report's 256")
        XCTAssertEqual(latency.visualTokensTotal, 256)
        XCTAssertEqual([latency.visualTokensReused, latency.visualTokensRecomputed], [150, 106])
        XCTAssertFalse(latency.fullRefresh)
        XCTAssertEqual(statistics.summary(frames: MailboxCounts()).overhead?.max ?? 0, 200, accuracy: 1e-9)
    }

    func testLatencyReportWithoutTemporalReuseSaysEveryTokenWasRecomputed() throws {
        for reuse in [nil, VisualTokenReuse(reused: 0, recomputed: 256, refreshReason: "periodic")] {
            try publisher.publish(InferenceReport(sequence: 1, frameSequence: 1, instructionSequence: 1, observationTime: 1_900_000_000,
                                                  startTime: 1_950_000_000, endTime: 2_000_000_000, stages: [], chunkLength: 16,
                                                  outcome: .accepted, tokenReuse: reuse))
            let tick = Tick(index: 1, scheduled: 2_000_000_000, actual: 2_000_000_000, skippedTicks: 0)
            publisher.tickDeciding(tick)
            publisher.tickEnded(tick, outcome: .deadlineMiss(.chunkExhausted))
            let latency = try XCTUnwrap(WireFormat.decode(try XCTUnwrap(received().first), topic: "/vla/latency", as: InferenceLatency.self))
            XCTAssertEqual([latency.visualTokensReused, latency.visualTokensRecomputed], [0, 256], "\(String(describing: reuse))")
            XCTAssertTrue(latency.fullRefresh)
        }
    }
}
