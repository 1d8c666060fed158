import Foundation
import Imaging
import Inference
import Messages
@testable import VLANode

/// Paths and messages shared by the runtime and end-to-end tests.
enum TestPaths {
    /// The package root, from this file's location (never the working directory).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The committed demo model.
    static let demoModel = packageRoot.appendingPathComponent("demo/model")
    /// A fresh path in the temporary directory.
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vla-node-tests-\(UUID().uuidString)-\(name)")
    }
}

/// Synthetic camera frames and instructions.
enum TestMessages {
    /// An rgb8 image whose pixel (x, y) is (x + seed, y + seed, seed) mod 256.
    static func image(width: Int = 64, height: Int = 48, seed: Int = 0, stampNanoseconds: Int64 = 0) -> Image {
        var data = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 3
                data[offset] = UInt8((x + seed) % 256)
                data[offset + 1] = UInt8((y + seed) % 256)
                data[offset + 2] = UInt8(seed % 256)
            }
        }
        return Image(header: Header(stamp: Time(nanoseconds: stampNanoseconds), frameId: "camera"),
                     height: UInt32(height), width: UInt32(width), encoding: "rgb8", isBigendian: 0,
                     step: UInt32(width * 3), data: data)
    }

    /// The same picture as a PNG `sensor_msgs/CompressedImage` (encoded with libpng through Imaging).
    static func png(of image: Image) throws -> CompressedImage {
        let rgb = try RGBImage(width: Int(image.width), height: Int(image.height), pixels: image.data)
        return CompressedImage(header: image.header, format: "png", data: try rgb.pngData())
    }

    /// The launch schema's default topic names and types, with placeholder endpoints (nothing is opened).
    /// A description of the fake policy's model (16 × 7 chunks) for `NodeRuntime`.
    static let fakeModel = ModelDescription(
        directory: "fake", configSHA256: String(repeating: "0", count: 64), loadSeconds: 0, horizon: 16, actionDimension: 7,
        unnormKey: "fake_robot", statistics: ActionStatistics(q01: Array(repeating: -1, count: 7), q99: Array(repeating: 1, count: 7), mask: nil),
        temporalReuse: nil)

    static func defaultTopics() throws -> TopicSettings {
        try LaunchLoader.parse(yaml: """
            node:
              model: {dir: m, unnorm_key: k}
              topics:
                camera: {connect: tcp://127.0.0.1:5555}
                instruction: {connect: tcp://127.0.0.1:5555}
                action_chunk: {bind: tcp://127.0.0.1:6000}
                latency: {bind: tcp://127.0.0.1:6000}
            """, sourceName: "t.yaml").topics
    }

    /// The launch configuration of the end-to-end tests: inputs connect to the test publisher, outputs
    /// bind an ephemeral loopback port.
    static func launchYAML(publisher: String, record: String? = nil, rateHz: Double = 5,
                           cameraType: String = "sensor_msgs/msg/Image") -> String {
        var yaml = """
            node:
              name: test_node
              model: {dir: \(TestPaths.demoModel.path), unnorm_key: demo_robot}
              topics:
                camera:       {topic: /camera/image_raw, type: \(cameraType), connect: \(publisher)}
                instruction:  {topic: /instruction, connect: \(publisher)}
                action_chunk: {topic: /vla/action_chunk, bind: "tcp://127.0.0.1:*"}
                latency:      {topic: /vla/latency, bind: "tcp://127.0.0.1:*"}
              control: {rate_hz: \(rateHz)}
              threads: 1
              log_level: warning
              stats: {interval_s: 60, window: 100, warmup_inferences: 0}

            """
        if let record { yaml += "  record: {path: \(record), compression: zstd}\n" }
        return yaml
    }
}
