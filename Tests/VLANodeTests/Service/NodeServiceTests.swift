import Foundation
import Messages
import XCTest
import ZMQ
@testable import VLANode

/// The node service over a real REP socket, with the node running (fake policy, ensemble chunk policy):
/// a REQ client asks `info`, resets mid-episode and sees the ensemble start over in the next chunk.
final class NodeServiceTests: XCTestCase {
    private func request(_ client: Socket, _ json: String) throws -> [String: Any] {
        try client.send([json])
        let reply = try client.receive()
        XCTAssertEqual(reply.count, 1)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(reply[0])) as? [String: Any])
    }

    func testInfoAndResetOverTheServiceSocket() throws {
        let peer = try LoopbackPeer()
        defer { peer.close() }
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress, rateHz: 20)
            .replacingOccurrences(of: "  control: {rate_hz: 20.0}", with: "  control: {rate_hz: 20, chunk_policy: ensemble, ensemble: {alpha: 0.1, horizon: 2}}")
            + "  service: {bind: \"tcp://127.0.0.1:*\"}\n"
        let configuration = try LaunchLoader.parse(yaml: yaml, sourceName: "test.yaml")
        XCTAssertEqual(configuration.control.policy, .ensemble(alpha: 0.1, horizon: 2))
        let acceleration = AccelerationReport(llmLayersKept: 1, llmLayersTotal: 1, visualTokensKept: 1, visualTokensTotal: 1,
                                              cacheInterval: 1, diffusionSteps: 1)
        let node = try NodeRuntime(configuration: configuration, runner: FakePolicyRunner(), acceleration: acceleration,
                                   model: TestMessages.fakeModel)
        let addresses = try node.start()
        defer { node.stop() }
        let client = try peer.context.makeSocket(.req)
        defer { client.close() }
        try client.setOption(.receiveTimeout, .milliseconds(3_000))
        try client.connect(try XCTUnwrap(addresses.service))

        let info = try request(client, #"{"op": "info"}"#)
        XCTAssertEqual(info["horizon"] as? Int, 16)
        XCTAssertEqual(info["action_dim"] as? Int, 7)
        XCTAssertEqual(info["control_rate_hz"] as? Double, 20)
        XCTAssertEqual((info["chunk_policy"] as? [String: Any])?["name"] as? String, "ensemble")
        XCTAssertEqual(try request(client, "{oops")["ok"] as? Bool, false)

        try peer.listen(to: addresses.outputs[0])
        try peer.stream(seconds: 1.5, frameRateHz: 20, instruction: "reach the goal")
        XCTAssertTrue(peer.chunks.contains { $0.contributingChunks == 2 }, "the ensemble never combined two chunks")
        let reset = try request(client, #"{"op": "reset"}"#)
        XCTAssertEqual(reset["episode"] as? Int, 1)
        XCTAssertEqual(reset["cleared_chunks"] as? Int, 2)
        let framesBefore = peer.sentStamps
        try peer.stream(seconds: 1.5, frameRateHz: 20, instruction: "reach the goal")
        let after = peer.chunks.filter { !framesBefore.contains($0.observationStamp.nanoseconds) }
        XCTAssertEqual(after.first?.contributingChunks, 1, "the first chunk after the reset blended older chunks")
        XCTAssertTrue(after.contains { $0.contributingChunks == 2 }, "the ensemble did not resume after the reset")
        let ping = try request(client, #"{"op": "ping"}"#)
        XCTAssertEqual(ping["episode"] as? Int, 1)
        XCTAssertGreaterThan(try XCTUnwrap(ping["inferences"] as? Int), 10)
        XCTAssertEqual(node.stop().counters[.episodeResets], 1)
    }
}
