import Bag
import Foundation
import Inference
import Messages
import XCTest
@testable import VLANode

/// The whole node in-process over TCP loopback with the demo model: a test publisher at 10 Hz, the node
/// at 5 Hz, real sockets, bounded time.
final class NodeRuntimeEndToEndTests: XCTestCase {
    private let periodNanoseconds: Int64 = 200_000_000
    private var peer: LoopbackPeer!

    override func setUpWithError() throws {
        peer = try LoopbackPeer()
    }

    override func tearDown() {
        peer.close()
    }

    private func startNode(cameraType: String = "sensor_msgs/msg/Image", acceleration: LaunchAcceleration? = nil) throws -> NodeRuntime {
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress, cameraType: cameraType)
        var configuration = try LaunchLoader.parse(yaml: yaml, sourceName: "test.yaml")
        if let acceleration { configuration.acceleration = acceleration }
        let node = try NodeRuntime(configuration: configuration)
        let addresses = try node.start()
        XCTAssertEqual(addresses.inputs, [peer.publisherAddress])
        XCTAssertEqual(addresses.outputs.count, 1, "chunk and latency share one endpoint, so one socket")
        try peer.listen(to: addresses.outputs[0])
        Thread.sleep(forTimeInterval: 0.3)  // both connections up before the first message (slow joiner)
        return node
    }

    private func stop(_ node: NodeRuntime) throws -> StatsSummary {
        try peer.collect(seconds: 0.3)
        let summary = node.stop()
        try peer.collect(seconds: 0.2)  // the latency reports flushed at shutdown
        return summary
    }

    /// The demo model's un-normalisation bounds, read from its dataset_statistics.json.
    private func actionBounds() throws -> (q01: [Double], q99: [Double], mask: [Bool]) {
        let url = TestPaths.demoModel.appendingPathComponent("dataset_statistics.json")
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let action = try XCTUnwrap((root["demo_robot"] as? [String: Any])?["action"] as? [String: Any])
        let q01 = try XCTUnwrap(action["q01"] as? [Double]), q99 = try XCTUnwrap(action["q99"] as? [Double])
        return (q01, q99, (action["mask"] as? [Bool]) ?? Array(repeating: true, count: q01.count))
    }

    /// Once the first chunk exists it covers 16 ticks and inference (~0.2 s) refreshes it well before
    /// it runs out, so every later tick publishes: stamps are consecutive points of the 5 Hz grid.
    private func assertChunkEveryTick(_ chunks: [ActionChunk], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(chunks.count, 5, file: file, line: line)
        let stamps = chunks.map(\.header.stamp.nanoseconds)
        XCTAssertEqual(zip(stamps.dropFirst(), stamps).map { $0 - $1 }, Array(repeating: periodNanoseconds, count: max(0, chunks.count - 1)),
                       file: file, line: line)
        XCTAssertEqual(chunks.map(\.publishSequence), (1...UInt64(max(1, chunks.count))).map { $0 }, file: file, line: line)
    }

    func testChunkEveryTickAfterTheFirstInferenceAndOneLatencyReportPerInference() throws {
        let instruction = "pick up the coke can"
        let node = try startNode()
        // 50 Hz: frames come faster than the demo model's inference (≈ 60 ms per frame on 2 cores),
        // so the newest-frame rule must skip some (asserted below) however quiet the machine is.
        try peer.stream(seconds: 3.5, frameRateHz: 50, instruction: instruction)
        let summary = try stop(node)
        let counters = summary.counters

        let chunks = peer.chunks
        assertChunkEveryTick(chunks)
        XCTAssertEqual(UInt64(chunks.count), counters[.published])
        XCTAssertEqual(counters[.ticks], counters[.published] + counters[.deadlineMisses])
        XCTAssertEqual(counters[.chunksRejected], 0)

        // Chunks carry the pose of the frame they were computed from, and actions inside the
        // un-normalisation range of demo_robot (clipped to [q01, q99] for masked dimensions).
        let bounds = try actionBounds()
        for chunk in chunks {
            XCTAssertTrue(peer.sentStamps.contains(chunk.observationStamp.nanoseconds))
            XCTAssertEqual(chunk.actionDimension, 7)
            XCTAssertEqual(chunk.horizon, 16)  // the whole chunk; "now" is row current_index
            XCTAssertLessThan(chunk.currentIndex, chunk.horizon)
            XCTAssertEqual(chunk.controlPeriod, 0.2, accuracy: 1e-12)
            for row in 0..<Int(chunk.horizon) {
                let action = try XCTUnwrap(chunk.action(at: row))
                for (dimension, value) in action.enumerated() where bounds.mask[dimension] {
                    XCTAssertGreaterThanOrEqual(Double(value), bounds.q01[dimension] - 1e-6)
                    XCTAssertLessThanOrEqual(Double(value), bounds.q99[dimension] + 1e-6)
                }
            }
        }

        // One latency message per inference, in order, consistent with the chunks.
        let latencies = peer.latencies
        XCTAssertEqual(UInt64(latencies.count), counters[.inferences] + counters[.inferenceFailures])
        XCTAssertEqual(latencies.map(\.inferenceSequence), (1...UInt64(latencies.count)).map { $0 })
        XCTAssertEqual(latencies.map(\.sequence), (1...UInt64(latencies.count)).map { $0 })
        XCTAssertTrue(Set(chunks.map(\.inferenceSequence)).isSubset(of: Set(latencies.map(\.inferenceSequence))))
        XCTAssertEqual(peer.reportsBeforeTheirChunk, [], "every report follows the first chunk of its inference or a later one")
        for latency in latencies {
            XCTAssertTrue(peer.sentStamps.contains(latency.observationStamp.nanoseconds))
            XCTAssertGreaterThan(latency.inferenceMs, 0)
            XCTAssertGreaterThanOrEqual(latency.frameAgeMs, 0)
            // Frame stamp → inference start → inference end → the chunk's publish.
            XCTAssertGreaterThanOrEqual(latency.endToEndMs, latency.frameAgeMs + latency.inferenceMs - 1)
            XCTAssertGreaterThan(latency.visionMs + latency.llmMs + latency.actionHeadMs, 0)
            // Every frame differs, so vision runs each time: the dense analytic count.
            let expected = try DemoAcceleration.expectedGFLOP(instruction: instruction, visualTokens: 256, cacheInterval: 1).dense
            XCTAssertEqual(latency.gflops, expected, accuracy: expected * 1e-12)
            XCTAssertEqual(latency.llmLayersKept, 6)
            XCTAssertEqual(latency.llmLayersTotal, 6)
            XCTAssertEqual(latency.visualTokensKept, 256)
            XCTAssertEqual(latency.visualTokensTotal, 256)
            XCTAssertEqual(latency.cacheInterval, 1)
            XCTAssertEqual(latency.diffusionSteps, 10)
        }
        // Frames arrive faster than inference runs, so the newest-frame rule skips some.
        XCTAssertGreaterThan(summary.frames.skipped, 0)
        XCTAssertEqual(summary.frames.received, UInt64(peer.sentStamps.count))
    }

    func testAcceleratedDemoSettingsReportTheirSavingsAndStillPublishEveryTick() throws {
        let instruction = "pick up the coke can"
        let acceleration = try DemoAcceleration.launchSettings()
        let node = try startNode(acceleration: acceleration)
        try peer.stream(seconds: 3.5, instruction: instruction)
        let summary = try stop(node)

        assertChunkEveryTick(peer.chunks)
        XCTAssertEqual(UInt64(peer.chunks.count), summary.counters[.published])
        XCTAssertEqual(summary.counters[.inferenceFailures], 0)
        let latencies = peer.latencies
        XCTAssertEqual(UInt64(latencies.count), summary.counters[.inferences])
        XCTAssertGreaterThan(latencies.count, 3)
        let budget = try XCTUnwrap(acceleration.visualTokens)
        let expected = try DemoAcceleration.expectedGFLOP(instruction: instruction, visualTokens: budget,
                                                          cacheInterval: try XCTUnwrap(acceleration.cacheInterval))
        XCTAssertLessThan(expected.accelerated, expected.dense)
        for latency in latencies {
            XCTAssertEqual(latency.llmLayersKept, 4)  // the plan drops 2 of 6
            XCTAssertEqual(latency.llmLayersTotal, 6)
            XCTAssertEqual(latency.visualTokensKept, 56)
            XCTAssertEqual(latency.visualTokensTotal, 256)
            XCTAssertEqual(latency.cacheInterval, 5)
            XCTAssertEqual(latency.diffusionSteps, 10)
            XCTAssertEqual(latency.gflops / expected.dense, expected.accelerated / expected.dense, accuracy: 1e-12)
        }
    }

    func testTemporalReuseOnRecordedSimFramesReportsReusedTokensAndLessWork() throws {
        // 224 px frames of a recorded MetaWorld episode (demo/sim, rendered by MuJoCo): consecutive
        // frames differ where the arm moves and nowhere else.
        var recorded: [Image] = []
        let bag = try MCAPIndexedReader(input: try MCAPFileInput(path: TestPaths.packageRoot.appendingPathComponent("demo/sim/reach/seed-0.mcap").path))
        try bag.forEachMessage(topics: ["/camera/image_raw"]) { recorded.append(try Image(cdrBytes: $0.data)) }
        XCTAssertEqual(recorded.count, 46)
        var acceleration = LaunchAcceleration()
        acceleration.temporalReuse = TemporalReuseSettings(enabled: true, refreshInterval: 4)
        let instruction = "reach the red ball"
        let node = try startNode(acceleration: acceleration)
        // Long enough for three inferences even in a sanitizer build on a loaded machine.
        try peer.stream(seconds: 6, frameRateHz: 5, instruction: instruction, recorded: Array(recorded.prefix(20)))
        let summary = try stop(node)
        XCTAssertEqual(summary.counters[.inferenceFailures], 0)
        let latencies = peer.latencies
        XCTAssertGreaterThanOrEqual(latencies.count, 3)
        let dense = try DemoAcceleration.expectedGFLOP(instruction: instruction, visualTokens: 256, cacheInterval: 1).dense
        XCTAssertTrue(latencies[0].fullRefresh, "the first frame is computed in full")
        for latency in latencies {
            XCTAssertEqual(latency.visualTokensReused + latency.visualTokensRecomputed, 256)
            if latency.fullRefresh {
                XCTAssertEqual(latency.visualTokensReused, 0)
                XCTAssertEqual(latency.gflops, dense, accuracy: dense * 1e-12)
            } else {
                // The real work falls with every reused token (layers from the 3rd on skip them).
                XCTAssertGreaterThan(latency.visualTokensReused, 0)
                XCTAssertLessThan(latency.gflops, dense)
            }
        }
        let reusing = latencies.filter { !$0.fullRefresh }
        XCTAssertGreaterThanOrEqual(reusing.count, latencies.count / 2, "refresh_interval 4: three of every four inferences reuse")
        let moreReuse = zip(reusing, reusing.dropFirst()).filter { $0.visualTokensReused < $1.visualTokensReused }
        XCTAssertTrue(moreReuse.allSatisfy { $0.gflops > $1.gflops }, "more tokens reused, less work")
    }

    func testKeepsRunningThroughGarbageOnEveryTopic() throws {
        let node = try startNode()
        var burstEnd: Int64 = 0
        var random = SystemRandomNumberGenerator()
        let noise = { (count: Int) in (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        var badImage = TestMessages.image()
        badImage.encoding = "yuv422"
        var shortImage = TestMessages.image()
        shortImage.data.removeLast(7)
        try peer.stream(seconds: 4, instruction: "open the drawer") { frame in
            guard frame == 10 else { return }
            for _ in 0..<3 {
                try self.peer.sendRaw([Array("/camera/image_raw".utf8), noise(Int.random(in: 0...5000))])
                try self.peer.sendRaw([Array("/instruction".utf8), noise(Int.random(in: 1...200))])
            }
            try self.peer.send("/camera/image_raw", StringMessage(data: "not an image"))   // wrong type
            try self.peer.send("/instruction", TestMessages.image())                        // wrong type
            try self.peer.send("/camera/image_raw", badImage)                               // unknown encoding
            try self.peer.send("/camera/image_raw", shortImage)                             // too few bytes
            try self.peer.sendRaw([Array("/camera/image_raw".utf8)])                        // one frame
            try self.peer.sendRaw([Array("/camera/image_raw".utf8), [0, 1, 0, 0], [1]])     // three frames
            try self.peer.send("/camera/image_raw_extra", TestMessages.image())             // unknown topics
            try self.peer.send("/instructions", StringMessage(data: "prefix match"))
            try self.peer.send("/instruction", StringMessage(data: ""))                     // empty
            try self.peer.send("/instruction", StringMessage(data: String(repeating: "x", count: 5000)))  // huge
            burstEnd = Int64(Date().timeIntervalSince1970 * 1e9)
        }
        let summary = try stop(node)
        let counters = summary.counters
        XCTAssertEqual(counters.malformedByTopic["/camera/image_raw"], 3 + 5)
        // Random bytes can, rarely, decode as a valid String; those count as rejected or new instructions.
        XCTAssertEqual((counters.malformedByTopic["/instruction"] ?? 0) + counters[.instructionsRejected]
                       + counters[.instructionsAccepted] - 1, 3 + 1 + 2)
        XCTAssertEqual(counters[.unknownTopics], 2)
        XCTAssertEqual(counters[.inferenceFailures], 0)
        // The node kept publishing well after the burst.
        let after = peer.chunks.filter { $0.header.stamp.nanoseconds > burstEnd + 1_000_000_000 }
        XCTAssertGreaterThanOrEqual(after.count, 3)
        XCTAssertEqual(peer.latencies.last?.queueDrops ?? 0 > 0, true)
    }

    func testCompressedCameraFramesDriveTheSamePipeline() throws {
        let node = try startNode(cameraType: "sensor_msgs/msg/CompressedImage")
        try peer.stream(seconds: 2, instruction: "wipe the table", compressed: true)
        let summary = try stop(node)
        XCTAssertGreaterThan(peer.chunks.count, 0)
        XCTAssertEqual(UInt64(peer.latencies.count), summary.counters[.inferences])
        XCTAssertEqual(summary.counters.malformedByTopic, [:])
        XCTAssertEqual(summary.frames.received, UInt64(peer.sentStamps.count))
        for chunk in peer.chunks { XCTAssertTrue(peer.sentStamps.contains(chunk.observationStamp.nanoseconds)) }
    }

    func testOversizedInstructionIsCutOffBySocketLimitNotDelivered() throws {
        // The instruction gets its own endpoint, so its socket has the 64 KiB ZMQ_MAXMSGSIZE.
        let instructionPublisher = try peer.context.makeSocket(.pub)
        defer { instructionPublisher.close() }
        try instructionPublisher.bind("tcp://127.0.0.1:*")
        let instructionAddress = try XCTUnwrap(try instructionPublisher.lastEndpoint)
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress)
            .replacingOccurrences(of: "instruction:  {topic: /instruction, connect: \(peer.publisherAddress)}",
                                  with: "instruction:  {topic: /instruction, connect: \(instructionAddress)}")
        let node = try NodeRuntime(configuration: LaunchLoader.parse(yaml: yaml, sourceName: "test.yaml"))
        XCTAssertEqual(try node.start().inputs, [peer.publisherAddress, instructionAddress])
        Thread.sleep(forTimeInterval: 0.3)
        try instructionPublisher.send(WireFormat.frames(topic: "/instruction", message: StringMessage(data: "stack the cups")))
        let huge = StringMessage(data: String(repeating: "x", count: SocketPlan.maximumInstructionMessageBytes + 1))
        try instructionPublisher.send(WireFormat.frames(topic: "/instruction", message: huge))
        Thread.sleep(forTimeInterval: 0.5)
        let counters = node.stop().counters
        // Delivered, the huge text would have been rejected by the 1 KiB instruction check; the socket
        // limit dropped it (and the connection: libzmq treats it as a protocol error).
        XCTAssertEqual(counters[.instructionsRejected], 0)
        XCTAssertEqual(counters.malformedByTopic, [:])
        XCTAssertEqual(counters[.instructionsAccepted], 1)
    }
}
