import ArgumentParser
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
