import Foundation
import Messages
import XCTest
import ZMQ
@testable import VLANode

/// A publisher the node connects to sends a camera message above the node's 64 MiB limit: libzmq drops
/// the connection and would never re-make it. The node's `ConnectionWatcher` reconnects, and chunks
/// computed from the frames sent afterwards arrive within 2 s (over real TCP sockets).
final class ReconnectTests: XCTestCase {
    func testNodeActsOnNormalFramesWithinTwoSecondsOfAnOversizedFrame() throws {
        let peer = try LoopbackPeer()
        defer { peer.close() }
        let yaml = TestMessages.launchYAML(publisher: peer.publisherAddress, rateHz: 20)
        let acceleration = AccelerationReport(llmLayersKept: 1, llmLayersTotal: 1, visualTokensKept: 1, visualTokensTotal: 1,
                                              cacheInterval: 1, diffusionSteps: 1)
        let node = try NodeRuntime(configuration: LaunchLoader.parse(yaml: yaml, sourceName: "test.yaml"),
                                   runner: FakePolicyRunner(), acceleration: acceleration, model: TestMessages.fakeModel)
        let addresses = try node.start()
        defer { node.stop() }
        try peer.listen(to: addresses.outputs[0])
        try peer.stream(seconds: 1.5, frameRateHz: 20, instruction: "reach the goal")
        XCTAssertFalse(peer.chunks.isEmpty, "no chunk before the oversized frame")

        let framesBefore = peer.sentStamps
        try peer.sendRaw([Array("/camera/image_raw".utf8), [UInt8](repeating: 0, count: SocketPlan.maximumCameraMessageBytes + 1)])
        let sentAt = Date()
        var recoveredAfter: TimeInterval?
        try peer.stream(seconds: 3, frameRateHz: 20, instruction: "reach the goal", beforeFrame: { _ in
            let fresh = peer.chunks.contains { !framesBefore.contains($0.observationStamp.nanoseconds) }
            if recoveredAfter == nil, fresh { recoveredAfter = Date().timeIntervalSince(sentAt) }
        })
        let summary = node.stop()
        let recovery = try XCTUnwrap(recoveredAfter, "no chunk from a frame sent after the oversized one")
        print("reconnect: first chunk from a new frame \(String(format: "%.3f", recovery)) s after the oversized frame")
        XCTAssertLessThan(recovery, 2, "the node took \(recovery) s to act on new frames")
        XCTAssertEqual(summary.counters[.reconnects], 1)
        XCTAssertEqual(summary.counters[.disconnects], 1)
    }
}
