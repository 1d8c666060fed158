import Bag
import Foundation
import Messages
import TestSupport
import XCTest

/// `vla-node run` as a subprocess (the binary `swift build --build-tests` puts next to the test bundle):
/// SIGTERM stops it cleanly with exit code 0 and a readable bag; bad configurations fail at start.
final class RunCommandProcessTests: XCTestCase {
    func testSIGTERMStopsCleanlyWithExitCodeZeroAndAReadableBag() throws {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "run")
        let bag = directory.appendingPathComponent("out/run.mcap")
        let peer = try LoopbackPeer()
        defer { peer.close() }
        var port = Int.random(in: 30_000..<60_000)
        while peer.publisherAddress.hasSuffix(":\(port)") { port = Int.random(in: 30_000..<60_000) }  // the peer's own port
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress, record: bag.path)
            .replacingOccurrences(of: "tcp://127.0.0.1:*", with: "tcp://127.0.0.1:\(port)")
            .replacingOccurrences(of: "log_level: warning", with: "log_level: info")
        let node = try NodeProcess(yaml: yaml, directory: directory)
        defer { node.kill() }
        XCTAssertTrue(node.waitForLine("ready:", seconds: 30), node.output)
        try peer.listen(to: "tcp://127.0.0.1:\(port)")
        Thread.sleep(forTimeInterval: 0.3)
        try peer.stream(seconds: 2.5, instruction: "push the button")
        XCTAssertFalse(peer.chunks.isEmpty)

        node.process.terminate()  // SIGTERM
        XCTAssertTrue(node.waitForExit(seconds: 15), "the node did not stop within 15 s of SIGTERM")
        XCTAssertEqual(node.process.terminationReason, .exit)
        XCTAssertEqual(node.process.terminationStatus, 0)
        let output = node.output
        XCTAssertTrue(output.contains("final stats: infer_ms n="), output)

        // The bag was finished (summary and footer) and holds what the node received and published.
        let reader = try MCAPIndexedReader(input: MCAPFileInput(path: bag.path))
        var counts: [String: Int] = [:]
        try reader.forEachMessage { message in
            counts[message.topic, default: 0] += 1
            switch message.topic {
            case "/vla/action_chunk": XCTAssertNoThrow(try ActionChunk(cdrBytes: message.data))
            case "/vla/latency": XCTAssertNoThrow(try InferenceLatency(cdrBytes: message.data))
            case "/camera/image_raw": XCTAssertNoThrow(try Image(cdrBytes: message.data))
            default: XCTAssertEqual(message.topic, "/instruction")
            }
        }
        XCTAssertEqual(counts["/camera/image_raw"], peer.sentStamps.count)
        XCTAssertGreaterThanOrEqual(counts["/instruction"] ?? 0, 1)
        XCTAssertGreaterThanOrEqual(counts["/vla/action_chunk"] ?? 0, peer.chunks.count)
        XCTAssertGreaterThanOrEqual(counts["/vla/latency"] ?? 0, peer.latencies.count)
        XCTAssertGreaterThan(peer.latencies.count, 0)
    }

    func testBrokenModelDirectoryFailsAtStartSayingWhatToFix() throws {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "run")
        let yaml = TestMessages.launchYAML(publisher: "tcp://127.0.0.1:5999")
            .replacingOccurrences(of: TestPaths.demoModel.path, with: directory.path)
        let node = try NodeProcess(yaml: yaml, directory: directory)
        XCTAssertTrue(node.waitForExit(seconds: 15))
        XCTAssertEqual(node.process.terminationStatus, 2)
        let output = node.output
        XCTAssertTrue(output.contains("node.model.dir \(directory.path): missing config.json, tokenizer.model, dataset_statistics.json"), output)
    }

    func testUnusablePrunePlanFailsAtStartNamingTheKey() throws {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "run")
        let plan = directory.appendingPathComponent("plan.json")
        try Data("{\"droppedLayers\": [4, 5]}".utf8).write(to: plan)  // not a whole plan
        let yaml = TestMessages.launchYAML(publisher: "tcp://127.0.0.1:5999") + "  acceleration: {prune_plan: \(plan.path)}\n"
        let node = try NodeProcess(yaml: yaml, directory: directory)
        XCTAssertTrue(node.waitForExit(seconds: 15))
        XCTAssertEqual(node.process.terminationStatus, 2)
        let output = node.output
        XCTAssertTrue(output.contains("node.acceleration.prune_plan: \(plan.path) is not a pruning plan"), output)
        XCTAssertTrue(output.contains("vla-node calibrate"), output)
    }

    func testInvalidLaunchValueFailsWithItsKeyPath() throws {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "run")
        let node = try NodeProcess(yaml: TestMessages.launchYAML(publisher: "tcp://127.0.0.1:5999", rateHz: -1),
                                  directory: directory)
        XCTAssertTrue(node.waitForExit(seconds: 15))
        XCTAssertEqual(node.process.terminationStatus, 2)
        let output = node.output
        XCTAssertTrue(output.contains("launch.yaml: node.control.rate_hz: expected a positive number, found \"-1.0\""), output)
    }
}
