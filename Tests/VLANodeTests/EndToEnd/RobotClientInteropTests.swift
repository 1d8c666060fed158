import Foundation
import TestSupport
import XCTest

/// A robot-stack client written without our code (`tools/interop/robot_client.py`: pyzmq + rosbags)
/// drives `vla-node run` in lock-step: every raw encoding, Pillow PNGs of every colour type, bit depth
/// and interlacing, JPEGs, and hostile messages between them. Every good frame must come back as the
/// chunk stamped with its observation time, so a crash, a hang or a stale frame fails the test.
final class RobotClientInteropTests: XCTestCase {
    private static let imageFixtures = InteropScript.packageRoot.appendingPathComponent("Tests/ImagingTests/Fixtures")
    /// One PNG per kind the decoder distinguishes (the decoder's parity tests cover all 49 pixel-exactly).
    private static let pngKinds = ["rgb_noise_224", "rgba", "gray", "gray16", "gray_alpha16", "gray_2bit", "palette_trns",
                                   "palette_1bit", "adam7_rgb", "rgb_many_idat_small", "rgb16", "rgb_smooth_640x480"]

    private struct Summary: Decodable {
        let frames: Int
        let chunks: Int
        let hostile: Int
        let missing: [String]
    }

    /// Starts the node on `cameraType`, runs the client against it, then stops the node with SIGTERM.
    private func runClient(cameraType: String, clientArguments: [String]) throws -> Summary {
        let directory = try NodeProcess.temporaryDirectory(for: self, name: "robot-client")
        let inputs = "tcp://127.0.0.1:\(Int.random(in: 30_000..<60_000))"
        let yaml = TestMessages.launchYAML(publisher: inputs, cameraType: cameraType)
            .replacingOccurrences(of: "log_level: warning", with: "log_level: info")
        let node = try NodeProcess(yaml: yaml, directory: directory)
        defer { node.kill() }
        XCTAssertTrue(node.waitForLine("waiting for an instruction", seconds: 30), node.output)
        let outputs = try XCTUnwrap(node.output.firstMatch(of: #/out \S+ \+ \S+ on (tcp://[^;,]+)/#)?.1, node.output)
        let data = try InteropScript.run("robot_client.py", ["--inputs-bind", inputs, "--outputs", String(outputs),
                                                             "--timeout", "60"] + clientArguments)
        let summary = try JSONDecoder().decode(Summary.self, from: data)
        XCTAssertTrue(node.process.isRunning, node.output)
        node.process.terminate()
        XCTAssertTrue(node.waitForExit(seconds: 15), node.output)
        XCTAssertEqual(node.process.terminationStatus, 0, node.output)
        XCTAssertTrue(node.output.contains("dropped a message on /camera/image_raw"), "hostile frames are logged: \(node.output)")
        return summary
    }

    func testEveryRawEncodingAndHostileMessagesComeBackAsChunks() throws {
        let summary = try runClient(cameraType: "sensor_msgs/msg/Image", clientArguments: ["--camera-type", "image"])
        XCTAssertEqual(summary.missing, [])
        XCTAssertEqual(summary.chunks, summary.frames)
        XCTAssertEqual(summary.frames, 6)  // five encodings, then the first again after the last hostile message
        XCTAssertEqual(summary.hostile, 9)
    }

    func testPillowPNGsJPEGsAndHostileCompressedImagesComeBackAsChunks() throws {
        let pngs = Self.pngKinds.map { Self.imageFixtures.appendingPathComponent("png/\($0).png").path }
        let jpegs = try FileManager.default.contentsOfDirectory(atPath: Self.imageFixtures.path)
            .filter { $0.hasPrefix("decode_") && $0.hasSuffix(".jpg") }.sorted().map { Self.imageFixtures.appendingPathComponent($0).path }
        XCTAssertFalse(jpegs.isEmpty)
        let images = (pngs + jpegs).flatMap { ["--image", $0] }
        let forged = Self.imageFixtures.appendingPathComponent("png/refused_forged_size.png").path
        let summary = try runClient(cameraType: "sensor_msgs/msg/CompressedImage",
                                    clientArguments: ["--camera-type", "compressed", "--forged-png", forged] + images)
        XCTAssertEqual(summary.missing, [])
        XCTAssertEqual(summary.chunks, summary.frames)
        XCTAssertEqual(summary.frames, pngs.count + jpegs.count + 1)
        XCTAssertEqual(summary.hostile, 12)
    }
}
