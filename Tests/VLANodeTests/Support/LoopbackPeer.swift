import Foundation
import Messages
import ZMQ

/// The other side of the node in the end-to-end tests, driven by the test thread (which owns both
/// sockets): a PUB socket the node's inputs connect to, and a SUB socket on the node's outputs.
final class LoopbackPeer {
    let context: Context
    let publisher: Socket
    private var subscriber: Socket?
    /// The publisher's resolved address.
    let publisherAddress: String
    /// Every output message received, in order.
    private(set) var chunks: [ActionChunk] = []
    private(set) var latencies: [InferenceLatency] = []
    /// Every output message as (topic, inference sequence), in arrival order.
    private(set) var arrivals: [(topic: String, inference: UInt64)] = []
    /// The header stamps of the frames sent by `stream`.
    private(set) var sentStamps: Set<Int64> = []

    init() throws {
        context = try Context()
        publisher = try context.makeSocket(.pub)
        try publisher.bind("tcp://127.0.0.1:*")
        publisherAddress = try publisher.lastEndpoint ?? ""
    }

    /// Subscribes to the node's outputs at `address`.
    func listen(to address: String) throws {
        let socket = try context.makeSocket(.sub)
        try socket.connect(address)
        try socket.subscribe(to: "/vla/action_chunk")
        try socket.subscribe(to: "/vla/latency")
        subscriber = socket
    }

    func send<M: ROSMessage>(_ topic: String, _ message: M) throws {
        try publisher.send(WireFormat.frames(topic: topic, message: message))
    }

    func sendRaw(_ frames: [[UInt8]]) throws {
        try publisher.send(frames)
    }

    /// Publishes frames at `frameRateHz` for `seconds`, re-sending `instruction` once a second
    /// (PUB/SUB is lossy), while collecting the node's outputs. `beforeFrame` runs before each frame.
    /// With `recorded`, frame k is `recorded[k % count]` restamped (real consecutive camera frames).
    func stream(seconds: Double, frameRateHz: Double = 10, instruction: String?, compressed: Bool = false,
                recorded: [Image] = [], beforeFrame: (Int) throws -> Void = { _ in }) throws {
        let start = Date()
        var frame = 0
        var lastInstruction = Date.distantPast
        while Date().timeIntervalSince(start) < seconds {
            if let instruction, Date().timeIntervalSince(lastInstruction) >= 1 {
                try send("/instruction", StringMessage(data: instruction))
                lastInstruction = Date()
            }
            try beforeFrame(frame)
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            var image = recorded.isEmpty ? TestMessages.image(seed: frame, stampNanoseconds: now) : recorded[frame % recorded.count]
            image.header.stamp = Time(nanoseconds: now)
            if compressed {
                try send("/camera/image_raw", TestMessages.png(of: image))
            } else {
                try send("/camera/image_raw", image)
            }
            sentStamps.insert(now)
            frame += 1
            let due = start.addingTimeInterval(Double(frame) / frameRateHz)
            while Date() < due {
                try drain()
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        try drain()
    }

    /// Collects whatever the node published since the last call.
    func drain() throws {
        guard let subscriber else { return }
        while let frames = try subscriber.receiveIfAvailable() {
            if let chunk = try WireFormat.decode(frames, topic: "/vla/action_chunk", as: ActionChunk.self) {
                chunks.append(chunk)
                arrivals.append(("/vla/action_chunk", chunk.inferenceSequence))
            } else if let latency = try WireFormat.decode(frames, topic: "/vla/latency", as: InferenceLatency.self) {
                latencies.append(latency)
                arrivals.append(("/vla/latency", latency.inferenceSequence))
            }
        }
    }

    /// Latency reports that arrived before any chunk of their inference or a later one (the reports the
    /// node flushes at shutdown, after its last chunk, are left out: their chunk may never be published).
    var reportsBeforeTheirChunk: [UInt64] {
        let lastChunk = arrivals.lastIndex { $0.topic == "/vla/action_chunk" } ?? -1
        var newestChunk: UInt64 = 0
        var early: [UInt64] = []
        for (index, arrival) in arrivals.enumerated() {
            if arrival.topic == "/vla/action_chunk" {
                newestChunk = max(newestChunk, arrival.inference)
            } else if index < lastChunk, arrival.inference > newestChunk {
                early.append(arrival.inference)
            }
        }
        return early
    }

    /// Keeps collecting for `seconds` without publishing.
    func collect(seconds: Double) throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            try drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    func close() {
        subscriber?.close()
        publisher.close()
    }
}
