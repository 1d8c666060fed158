import ArgumentParser
import Bag
import Foundation
import Messages
import ZMQ

/// `vla-node echo`: subscribes to topics and prints one line per message, like `ros2 topic echo`.
struct EchoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Print the messages on [topic, CDR] ZeroMQ topics, one line each (like ros2 topic echo).",
        discussion: """
            Topics match exactly. Types of the node's default topics are inferred; give others as TOPIC=TYPE. \
            Stops after --count messages, after --duration seconds, or on Ctrl-C.
            """
    )

    @Option(help: "ZeroMQ endpoint of the publisher, e.g. tcp://127.0.0.1:5557.")
    var connect: String

    @OptionGroup
    var topics: TopicOptions

    @Option(help: "Stop after this many messages.")
    var count: Int?

    @OptionGroup
    var duration: DurationOption

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        var types: [[UInt8]: (name: String, type: any ROSMessage.Type)] = [:]
        for (topic, type) in try topics.types() { types[Array(topic.utf8)] = (topic, type) }
        let stop = StopSignal()
        let context = try Context()
        let socket = try TopicSubscriber.open(context: context, endpoint: connect, topics: types.values.map(\.name))
        defer { socket.close() }
        let deadline = duration.deadline()
        var printed = 0
        while !stop.isRequested, !deadline.hasPassed, printed < (count ?? .max) {
            guard let frames = try Self.receive(socket), let topic = frames.first,
                  let entry = types[topic] else { continue }  // a timeout, or a prefix match of another topic
            print("\(entry.name) \(EchoFormat.describe(frames, topic: entry.name, type: entry.type))")
            fflush(stdout)
            printed += 1
        }
    }

    /// The next message, or nil when the receive timeout (`TopicSubscriber.pollInterval`) expires.
    private static func receive(_ socket: Socket) throws -> [[UInt8]]? {
        do {
            return try socket.receive()
        } catch .timedOut {
            return nil
        }
    }
}

/// One-line summaries of the node's message types.
enum EchoFormat {
    /// The summary of a `[topic, CDR]` message, or why it does not decode.
    static func describe(_ frames: [[UInt8]], topic: String, type: any ROSMessage.Type) -> String {
        do {
            return try summary(of: frames, topic: topic, type)
        } catch {
            return "undecodable: \(error)"
        }
    }

    private static func summary<M: ROSMessage>(of frames: [[UInt8]], topic: String, _ type: M.Type) throws -> String {
        guard let message = try WireFormat.decode(frames, topic: topic, as: M.self) else { return "(other topic)" }
        switch message {
        case let chunk as ActionChunk: return describe(chunk)
        case let latency as InferenceLatency: return describe(latency)
        case let text as StringMessage: return "data=\(text.data.debugDescription)"
        case let image as Image:
            return "\(image.width)x\(image.height) \(image.encoding) stamp=\(stamp(image.header.stamp)) bytes=\(image.data.count)"
        case let image as CompressedImage:
            return "\(image.format) stamp=\(stamp(image.header.stamp)) bytes=\(image.data.count)"
        default: return "\(M.typeName) (\(frames[1].count) bytes)"
        }
    }

    private static func describe(_ chunk: ActionChunk) -> String {
        let now = chunk.action(at: Int(chunk.currentIndex)).map { row in row.map { String(format: "%+.4f", $0) }.joined(separator: " ") }
        return "#\(chunk.publishSequence) stamp=\(stamp(chunk.header.stamp)) inference=\(chunk.inferenceSequence) "
            + "rows=\(chunk.horizon)x\(chunk.actionDimension) now=[\(now ?? "")]"
    }

    private static func describe(_ latency: InferenceLatency) -> String {
        let stages = [("decode", latency.decodeMs), ("vision", latency.visionMs), ("projector", latency.projectorMs),
                      ("llm", latency.llmMs), ("dit", latency.actionHeadMs), ("post", latency.postMs)]
            .map { "\($0.0)=\(String(format: "%.1f", $0.1))" }.joined(separator: " ")
        return "#\(latency.sequence) inference=\(latency.inferenceSequence) "
            + String(format: "infer=%.1fms e2e=%.1fms age=%.1fms ", latency.inferenceMs, latency.endToEndMs, latency.frameAgeMs)
            + "[\(stages)] " + String(format: "gflop=%.3f ", latency.gflops)
            + "frames=\(latency.framesReceived) skipped=\(latency.framesSkipped) drops=\(latency.queueDrops) "
            + "misses=\(latency.deadlineMisses) layers=\(latency.llmLayersKept)/\(latency.llmLayersTotal) "
            + "tokens=\(latency.visualTokensKept)/\(latency.visualTokensTotal) ddim=\(latency.diffusionSteps) cache=\(latency.cacheInterval)"
    }

    private static func stamp(_ time: Time) -> String {
        String(format: "%d.%03d", time.sec, time.nanosec / 1_000_000)
    }
}
