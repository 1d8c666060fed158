import Foundation
import Logging
import XCTest
@testable import VLANode

/// The node service's replies, without sockets: every request gets one JSON object; bad requests get
/// `ok: false` and an error that says what to send.
final class ServiceHandlerTests: XCTestCase {
    private var clock: ManualClock!
    private var scheduler: ActionScheduler!
    private var statistics: NodeStatistics!
    private var instructions: LatestValueMailbox<String>!
    private var handler: ServiceHandler!

    override func setUpWithError() throws {
        clock = ManualClock(start: 5_000_000_000)
        let yaml = TestMessages.launchYAML(publisher: "tcp://127.0.0.1:5555") + "  service: {bind: \"tcp://127.0.0.1:*\"}\n"
        let configuration = try LaunchLoader.parse(yaml: yaml, sourceName: "t.yaml")
        scheduler = try ActionScheduler(policy: .ensemble(alpha: 0.1, horizon: 2), periodNanoseconds: 200_000_000)
        statistics = try NodeStatistics(windowCapacity: 10, inferenceWarmUp: 0, jitterWarmUp: 0)
        instructions = LatestValueMailbox()
        let quiet = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        handler = ServiceHandler(node: ServiceHandler.Node(
            configuration: configuration, model: TestMessages.fakeModel,
            acceleration: AccelerationReport(llmLayersKept: 22, llmLayersTotal: 32, visualTokensKept: 56, visualTokensTotal: 256,
                                             cacheInterval: 5, diffusionSteps: 10),
            statistics: statistics, scheduler: scheduler, instructions: instructions, frames: LatestValueMailbox(),
            resets: EpisodeReset(scheduler: scheduler, counters: statistics.counters, clock: clock, logger: quiet),
            clock: clock, startTime: 1_000_000_000))
    }

    private func ask(_ request: [[UInt8]]) throws -> [String: Any] {
        let reply = handler.reply(to: request)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any], String(decoding: reply, as: UTF8.self))
    }

    private func ask(_ json: String) throws -> [String: Any] {
        try ask([Array(json.utf8)])
    }

    func testMalformedRequestsGetAnErrorReply() throws {
        let cases: [([[UInt8]], String)] = [
            ([Array("not json".utf8)], "not valid UTF-8 JSON"),
            ([[0xff, 0xfe, 0x7b]], "not valid UTF-8 JSON"),
            ([[]], "not valid UTF-8 JSON"),
            ([Array("[1, 2]".utf8)], "not an object"),
            ([Array("\"info\"".utf8)], "not an object"),
            ([Array("{}".utf8)], "no \"op\" key"),
            ([Array("{\"op\": 3}".utf8)], "\"op\" must be a string"),
            ([Array("{\"op\": \"fly\"}".utf8)], "unknown operation \"fly\""),
            ([Array("{\"op\": \"info\"}".utf8), []], "has 2 frames"),
        ]
        for (request, expected) in cases {
            let reply = try ask(request)
            XCTAssertEqual(reply["ok"] as? Bool, false)
            let error = try XCTUnwrap(reply["error"] as? String)
            XCTAssertTrue(error.contains(expected), "\(error) should say \(expected)")
            XCTAssertTrue(error.contains("operations: info, ping, reset, stats"), error)
            XCTAssertEqual(reply["ops"] as? [String], ["info", "ping", "reset", "stats"])
        }
    }

    func testInfoDescribesTheChunkTheRateAndTheSettings() throws {
        let info = try ask(#"{"op": "info", "client": "ignored"}"#)
        XCTAssertEqual(info["ok"] as? Bool, true)
        XCTAssertEqual(info["version"] as? String, ProductVersion.string)
        XCTAssertEqual(info["horizon"] as? Int, 16)
        XCTAssertEqual(info["action_dim"] as? Int, 7)
        XCTAssertEqual(info["control_rate_hz"] as? Double, 5)
        XCTAssertEqual(info["control_period_s"] as? Double, 0.2)
        let policy = try XCTUnwrap(info["chunk_policy"] as? [String: Any])
        XCTAssertEqual(policy["name"] as? String, "chunking")
        let acceleration = try XCTUnwrap(info["acceleration"] as? [String: Any])
        XCTAssertEqual(acceleration["llm_layers_kept"] as? Int, 22)
        XCTAssertEqual(acceleration["visual_tokens_kept"] as? Int, 56)
        XCTAssertTrue(acceleration["temporal_reuse"] is NSNull)
        let actions = try XCTUnwrap(info["actions"] as? [String: Any])
        let columns = try XCTUnwrap(actions["columns"] as? [[String: String]])
        XCTAssertEqual(columns.map { $0["name"] }, ["x", "y", "z", "roll", "pitch", "yaw", "gripper"])
        XCTAssertEqual(actions["unnorm_key"] as? String, "fake_robot")
        let statistics = try XCTUnwrap(actions["statistics"] as? [String: Any])
        XCTAssertEqual(statistics["mask"] as? [Bool], Array(repeating: true, count: 7))
        let model = try XCTUnwrap(info["model"] as? [String: Any])
        XCTAssertEqual(model["config_sha256"] as? String, String(repeating: "0", count: 64))
        XCTAssertTrue(info["gflop_last_inference"] is NSNull)
        let topics = try XCTUnwrap(info["topics"] as? [String: [String: String]])
        XCTAssertEqual(topics["reset"], ["topic": "/vla/reset", "type": "std_msgs/msg/Empty", "connect": "tcp://127.0.0.1:5555"])
    }

    func testPingBeforeAndAfterAnInference() throws {
        var ping = try ask(#"{"op": "ping"}"#)
        XCTAssertEqual(ping["uptime_s"] as? Double, 4)
        XCTAssertEqual(ping["inferences"] as? Int, 0)
        XCTAssertTrue(ping["since_last_inference_s"] is NSNull)
        XCTAssertTrue(ping["last_error"] is NSNull)
        XCTAssertTrue(ping["instruction"] is NSNull)

        _ = instructions.put("open the drawer")
        statistics.counters.increment(.inferences)
        statistics.recordCompletion(at: 4_500_000_000, gflop: 12.5)
        statistics.recordFailure("inference failed: out of memory", at: 4_000_000_000)
        ping = try ask(#"{"op": "ping"}"#)
        XCTAssertEqual(ping["inferences"] as? Int, 1)
        XCTAssertEqual(ping["since_last_inference_s"] as? Double, 0.5)
        let lastError = try XCTUnwrap(ping["last_error"] as? [String: Any])
        XCTAssertEqual(lastError["message"] as? String, "inference failed: out of memory")
        XCTAssertEqual(lastError["age_s"] as? Double, 1)
        XCTAssertEqual(ping["instruction"] as? String, "open the drawer")
        XCTAssertEqual(try ask(#"{"op": "info"}"#)["gflop_last_inference"] as? Double, 12.5)
    }

    func testResetClearsTheEnsembleHistory() throws {
        try scheduler.submit(StampedChunk(observationTime: 1, actions: [[1]], instructionSequence: 0))
        try scheduler.submit(StampedChunk(observationTime: 2, actions: [[2]], instructionSequence: 0))
        XCTAssertEqual(try ask(#"{"op": "ping"}"#)["retained_chunks"] as? Int, 2)
        let reply = try ask(#"{"op": "reset"}"#)
        XCTAssertEqual(reply["ok"] as? Bool, true)
        XCTAssertEqual(reply["episode"] as? Int, 1)
        XCTAssertEqual(reply["cleared_chunks"] as? Int, 2)
        let ping = try ask(#"{"op": "ping"}"#)
        XCTAssertEqual(ping["retained_chunks"] as? Int, 0)
        XCTAssertEqual(ping["episode"] as? Int, 1)
        XCTAssertEqual(scheduler.episode.startTime, 5_000_000_000)
    }

    func testStatsCarriesTheLogLineAndCounters() throws {
        statistics.recordInference(milliseconds: 40)
        statistics.counters.increment(.inferenceFailures, by: 2)
        statistics.counters.recordMalformed(topic: "/camera/image_raw")
        let stats = try ask(#"{"op": "stats"}"#)
        let line = try XCTUnwrap(stats["line"] as? String)
        XCTAssertEqual(line, statistics.summary(frames: MailboxCounts()).line)
        XCTAssertEqual(stats["inference_ms"] as? [String: Double], ["n": 1, "p50": 40, "p95": 40, "p99": 40, "max": 40])
        XCTAssertTrue(stats["jitter_ms"] is NSNull)
        let counters = try XCTUnwrap(stats["counters"] as? [String: Int])
        XCTAssertEqual(counters["inference_failures"], 2)
        XCTAssertEqual(counters.count, NodeCounter.allCases.count)
        XCTAssertEqual(stats["malformed"] as? [String: Int], ["/camera/image_raw": 1])
    }
}
