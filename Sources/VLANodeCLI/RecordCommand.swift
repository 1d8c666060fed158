import ArgumentParser
import Bag
import Dispatch
import Foundation
import Messages
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

    @Option(name: .customLong("topic"), parsing: .upToNextOption, help: "Topics as TOPIC or TOPIC=TYPE.")
    var topics: [String]

    @Option(help: "Chunk compression: none, zstd or lz4.")
    var compression: String = "zstd"

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("give at least one --topic") }
        guard MCAPCompression(rawValue: compression == "none" ? "" : compression) != nil else {
            throw ValidationError("--compression must be none, zstd or lz4")
        }
        for topic in topics {
            do { _ = try TopicTypeSpec.parse(topic) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        var types: [String: any ROSMessage.Type] = [:]
        for argument in topics {
            let (topic, type) = try TopicTypeSpec.parse(argument)
            types[topic] = type
        }
        let options = MCAPWriter.Options(compression: MCAPCompression(rawValue: compression == "none" ? "" : compression) ?? .zstd)
        let recorder = try BagRecorder(writer: MCAPWriter(path: output, options: options), topics: types)
        let stop = StopSignal()
        let context = try Context()
        let socket = try TopicSubscriber.open(context: context, endpoint: connect, topics: types.keys)
        defer { socket.close() }
        log("recording \(types.keys.sorted().joined(separator: " ")) from \(connect) into \(output); Ctrl-C to stop")

        do {
            try receiveUntilStopped(socket: socket, recorder: recorder, stop: stop)
        } catch {
            try? recorder.finish()  // keep what was recorded readable, then report the failure
            throw error
        }
        try recorder.finish()
        let counts = recorder.recordedCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        log("wrote \(output) (\(counts.joined(separator: ", ")); dropped \(recorder.malformedCount))")
    }

    /// Records until SIGINT/SIGTERM, writing the open chunk at least once a second.
    private func receiveUntilStopped(socket: Socket, recorder: BagRecorder, stop: StopSignal) throws {
        var lastFlush = Date()
        while !stop.isRequested {
            do {
                let frames = try socket.receive()
                if case .malformed(let reason) = try recorder.record(frames: frames, receiveTime: Self.now()) {
                    log("dropped: \(reason)")
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

/// Prints a status line to standard error.
func log(_ line: String) {
    FileHandle.standardError.write(Data(("vla-node: " + line + "\n").utf8))
}

/// Turns SIGINT and SIGTERM into a flag the main loop polls, via DispatchSource signal handlers
/// (the default handlers are disabled so the process survives to finish its work). A second signal
/// exits at once.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    private func request() {
        lock.lock()
        defer { lock.unlock() }
        if requested { exit(130) }
        requested = true
    }

    /// True once SIGINT or SIGTERM has arrived.
    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
