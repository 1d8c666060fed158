import ArgumentParser
import Bag
import Foundation
import VLANode
import ZMQ

/// `vla-node record`: subscribes to topics on a ZeroMQ endpoint and writes them to an MCAP bag,
/// finishing the bag cleanly on SIGINT or SIGTERM.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record [topic, CDR] ZeroMQ messages into an MCAP bag (ROS 2 profile).",
        discussion: """
            Topics match exactly (ZeroMQ's prefix matches are ignored); payloads that do not decode as the \
            topic's type are dropped and counted. Chunks are written at least once a second, so a crash \
            loses at most about a second; Ctrl-C (SIGINT) or SIGTERM writes the summary and exits.
            Types of the node's default topics are inferred; give others as TOPIC=TYPE, e.g. \
            /wrist/image=sensor_msgs/msg/Image.
            """
    )

    @Option(name: .shortAndLong, help: "The MCAP file to write (overwritten).")
    var output: String

    @Option(help: "ZeroMQ endpoint of the publisher, e.g. tcp://127.0.0.1:5556.")
    var connect: String

    @OptionGroup
    var topics: TopicOptions

    @Option(help: "Chunk compression: none, zstd or lz4.")
    var compression: RecordCompression = .zstd

    func run() throws {
        let types = try topics.types()
        let options = MCAPWriter.Options(compression: compression.mcapCompression)
        let recorder = try BagRecorder(writer: MCAPWriter(path: output, options: options), topics: types)
        let stop = StopSignal()
        let context = try Context()
        let socket = try TopicSubscriber.open(context: context, endpoint: connect, topics: types.keys)
        defer { socket.close() }
        printStatus("recording \(types.keys.sorted().joined(separator: " ")) from \(connect) into \(output); Ctrl-C to stop")

        do {
            try receiveUntilStopped(socket: socket, recorder: recorder, stop: stop)
        } catch {
            try? recorder.finish()  // keep what was recorded readable, then report the failure
            throw error
        }
        try recorder.finish()
        let counts = recorder.recordedCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        printStatus("wrote \(output) (\(counts.joined(separator: ", ")); dropped \(recorder.malformedCount))")
    }

    /// Records until SIGINT/SIGTERM, writing the open chunk at least once a second.
    private func receiveUntilStopped(socket: Socket, recorder: BagRecorder, stop: StopSignal) throws {
        var lastFlush = Date()
        while !stop.isRequested {
            do {
                let frames = try socket.receive()
                if case .malformed(let reason) = try recorder.record(frames: frames, receiveTime: Self.now()) {
                    printStatus("dropped: \(reason)")
                }
            } catch ZMQError.timedOut {
                // No traffic: fall through to the periodic flush and the stop check.
            }
            if Date().timeIntervalSince(lastFlush) >= 1 {
                try recorder.flush()
                lastFlush = Date()
            }
        }
    }

    /// Nanoseconds since the Unix epoch.
    static func now() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1e9))
    }
}

extension RecordCompression: ExpressibleByArgument {}
