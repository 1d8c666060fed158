import Foundation
import TestSupport
import XCTest

/// An independent pyzmq client (`tools/interop/service_client.py`, with `examples/python/vla_service.py`
/// and rosbags) drives `vla-node run` on the demo model with the ensemble chunk policy: it asks `info`,
/// resets mid-episode through the service and through `/vla/reset` and sees the ensemble start over in
/// the next chunk, and sends an oversized frame and then normal frames and still gets actions.
final class ServiceClientInteropTests: XCTestCase {
    private struct Findings: Decodable {
        struct Reset: Decodable {
            let episode: Int
            let first_chunk_contributing: Int?
        }
        let horizon: Int
        let action_dim: Int
        let control_rate_hz: Double
        let chunk_policy: String
        let service_reset: Reset
        let topic_reset: Reset
        let after_oversized_s: Double?
        let counters: [String: Int]
    }

    func testServiceResetTopicAndReconnectFromAPythonClient() throws {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "service-client")
        let inputs = "tcp://127.0.0.1:\(Int.random(in: 30_000..<45_000))"
        let service = "tcp://127.0.0.1:\(Int.random(in: 45_000..<60_000))"
        let yaml = TestMessages.launchYAML(publisher: inputs)
            .replacingOccurrences(of: "log_level: warning", with: "log_level: info")
            .replacingOccurrences(of: "  control: {rate_hz: 5.0}", with: "  control: {rate_hz: 5, chunk_policy: ensemble, ensemble: {alpha: 0.1, horizon: 3}}")
            + "  service: {bind: \"\(service)\"}\n"
        let node = try NodeProcess(yaml: yaml, directory: directory)
        defer { node.kill() }
        XCTAssertTrue(node.waitForLine("waiting for an instruction", seconds: 30), node.output)
        let outputs = try XCTUnwrap(node.output.firstMatch(of: #/out \S+ \+ \S+ on (tcp://[^;,]+)/#)?.1, node.output)
        let data = try InteropScript.run("service_client.py", ["--inputs-bind", inputs, "--outputs", String(outputs),
                                                               "--service", service, "--timeout", "60"])
        let findings = try JSONDecoder().decode(Findings.self, from: data)
        XCTAssertEqual(findings.horizon, 16)
        XCTAssertEqual(findings.action_dim, 7)
        XCTAssertEqual(findings.control_rate_hz, 5)
        XCTAssertEqual(findings.chunk_policy, "ensemble")
        XCTAssertEqual(findings.service_reset.episode, 1)
        XCTAssertEqual(findings.service_reset.first_chunk_contributing, 1)
        XCTAssertEqual(findings.topic_reset.episode, 2)
        XCTAssertEqual(findings.topic_reset.first_chunk_contributing, 1)
        XCTAssertLessThan(try XCTUnwrap(findings.after_oversized_s), 2)
        XCTAssertEqual(findings.counters, ["episode_resets": 2, "disconnects": 1, "reconnects": 1])
        node.process.terminate()
        XCTAssertTrue(node.waitForExit(seconds: 15), node.output)
        XCTAssertEqual(node.process.terminationStatus, 0, node.output)
        XCTAssertTrue(node.output.contains("reconnected"), node.output)
    }
}
