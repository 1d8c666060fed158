import Bag
import Messages

/// A message written to a test bag, for comparison with what readers return.
struct WrittenMessage: Equatable {
    var topic: String
    var typeName: String
    var sequence: UInt32
    var logTime: UInt64
    var publishTime: UInt64
    var data: [UInt8]
}

/// Builds small bags in memory with camera frames, instructions, action chunks and latency reports.
enum BagFixtures {
    static let base: UInt64 = 1_700_000_000_000_000_000

    /// `count` messages cycling over four topics, 50 ms apart, in chunks of about `chunkSizeLimit` bytes.
    static func makeBag(compression: MCAPCompression, count: Int = 40, chunkSizeLimit: Int = 600,
                        chunkDurationLimit: UInt64 = 1_000_000_000) throws -> (bytes: [UInt8], written: [WrittenMessage]) {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(
            compression: compression, chunkSizeLimit: chunkSizeLimit, chunkDurationLimit: chunkDurationLimit))
        let image = try writer.addROS2Channel(Image.self, topic: "/camera/image")
        let instruction = try writer.addROS2Channel(StringMessage.self, topic: "/instruction")
        let actions = try writer.addROS2Channel(ActionChunk.self, topic: "/actions")
        let latency = try writer.addROS2Channel(InferenceLatency.self, topic: "/latency")
        var written: [WrittenMessage] = []
        func add<M: ROSMessage>(_ message: M, channel: UInt16, topic: String, index: Int) throws {
            let logTime = base + UInt64(index) * 50_000_000
            try writer.write(message, channelID: channel, sequence: UInt32(index), logTime: logTime,
                             publishTime: logTime - 1000)
            written.append(WrittenMessage(topic: topic, typeName: M.typeName, sequence: UInt32(index),
                                          logTime: logTime, publishTime: logTime - 1000, data: message.cdrBytes()))
        }
        for index in 0..<count {
            let header = Header(stamp: Time(nanoseconds: Int64(base + UInt64(index) * 50_000_000)), frameId: "cam")
            switch index % 4 {
            case 0:
                try add(Image(header: header, height: 4, width: 5, encoding: "rgb8", step: 15,
                              data: (0..<60).map { UInt8(($0 * 7 + index) % 256) }),
                        channel: image, topic: "/camera/image", index: index)
            case 1:
                try add(StringMessage(data: "pick up the cup #\(index)"), channel: instruction,
                        topic: "/instruction", index: index)
            case 2:
                try add(ActionChunk(header: header, observationStamp: header.stamp, inferenceSequence: UInt64(index),
                                    publishSequence: UInt64(index), controlPeriod: 0.2, horizon: 2,
                                    actionDimension: 2, actions: [0.25, -0.5, Float(index), 1e-3], currentIndex: 1,
                                    dimensionNames: ["x", "gripper"]),
                        channel: actions, topic: "/actions", index: index)
            default:
                try add(InferenceLatency(header: header, sequence: UInt64(index), llmMs: Double(index) * 1.5,
                                         framesReceived: UInt64(index), gflops: 12.25, llmLayersKept: 22,
                                         llmLayersTotal: 32, cacheInterval: 2, diffusionSteps: 10),
                        channel: latency, topic: "/latency", index: index)
            }
        }
        try writer.finish()
        return (output.bytes, written)
    }

    static func written(_ message: MCAPMessage) -> WrittenMessage {
        WrittenMessage(topic: message.topic, typeName: message.schema?.name ?? "", sequence: message.sequence,
                       logTime: message.logTime, publishTime: message.publishTime, data: message.data)
    }
}
