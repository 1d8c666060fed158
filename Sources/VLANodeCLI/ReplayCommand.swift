import ArgumentParser
import Bag
import Foundation
import ZMQ

/// `vla-node replay`: publishes a bag's messages on a ZeroMQ PUB socket with their recorded timing.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Publish a bag's messages as [topic, CDR] on a ZeroMQ PUB socket with recorded timing.",
        discussion: """
            Messages go out in log-time order (file order for unfinished bags), spaced as recorded and \
            divided by --rate. Subscribers that connect late miss earlier messages (ZeroMQ PUB/SUB), so \
            replay waits --startup-delay seconds after binding before the first message.
            """
    )

    @Argument(help: "The MCAP file to replay.")
    var file: String

    @Option(help: "ZeroMQ endpoint to bind, e.g. tcp://*:5555.")
    var bind: String

    @Option(help: "Playback speed; 2 plays twice as fast as recorded.")
    var rate: Double = 1

    @Flag(help: "Start again from the beginning after the last message.")
    var loop = false

    @Option(parsing: .upToNextOption, help: "Replay only these topics (default: all).")
    var topics: [String] = []

    @Option(help: "Seconds to wait after binding before the first message, so subscribers can connect.")
    var startupDelay: Double = 0.5

    func validate() throws {
        do { _ = try ReplayClock(rate: rate) } catch { throw ValidationError("\(error)") }
        guard startupDelay.isFinite, startupDelay >= 0 else { throw ValidationError("--startup-delay must be ≥ 0") }
    }

    func run() throws {
        let clock = try ReplayClock(rate: rate)
        let input = try MCAPFileInput(path: file)
        let stop = StopSignal()
        let context = try Context()
        let socket = try context.makeSocket(.pub)
        defer { socket.close() }
        // Sockets close with LINGER 0 by default; give the last messages time to leave on exit.
        try socket.setOption(.linger, .seconds(2))
        try socket.bind(bind)
        printStatus("replaying \(file) on \((try? socket.lastEndpoint) ?? bind) at rate \(rate)\(loop ? ", looping" : "")")
        Thread.sleep(forTimeInterval: startupDelay)
        var published = 0
        repeat {
            var first: UInt64?
            var start = Date()
            do {
                try BagPlayback.forEachMessage(input: input, topics: topics.isEmpty ? nil : Set(topics)) { message in
                    let firstLogTime = first ?? message.logTime
                    if first == nil { start = Date() }  // the clock starts at the first message, after opening the bag
                    first = firstLogTime
                    let due = clock.offset(of: message.logTime, firstLogTime: firstLogTime)
                    while !stop.isRequested, Date().timeIntervalSince(start) < due {
                        Thread.sleep(forTimeInterval: min(0.05, due - Date().timeIntervalSince(start)))
                    }
                    guard !stop.isRequested else { return false }
                    try socket.send([message.topic, message.data])
                    published += 1
                    return true
                }
            } catch let error as MCAPError {
                throw BagFileError(file: file, underlying: error)
            }
            if first == nil {
                printStatus("no messages to replay in \(file)\(topics.isEmpty ? "" : " on \(topics.joined(separator: " "))")")
                break
            }
        } while loop && !stop.isRequested
        printStatus("published \(published) messages")
    }
}
