import Bag
import Foundation
import Logging
import Messages

/// The node's optional bag of the messages it accepted (ingress thread) and published (control thread).
///
/// `record` only enqueues: a short lock, no I/O, no compression, so neither the ingress nor a control
/// tick ever waits on the disk. A dedicated `BagWriterThread` writes the queue into the MCAP file. The
/// queue is bounded by bytes (`node.record.queue_mb`); when a message does not fit it is dropped, counted
/// per topic (`NodeCounter.recorderDrops`, the latency topic's `recorder_drops`, the stats line) and
/// logged, throttled. `finish()` drains the queue, writes the Metadata record `vla_node.recorder`
/// (messages recorded and dropped per topic) and the summary. Write failures are logged once and stop
/// recording; they never stop the node.
public final class NodeRecorder: @unchecked Sendable {
    /// What a finished recording holds.
    public struct Summary: Equatable, Sendable {
        /// Messages written per topic.
        public var recorded: [String: UInt64]
        /// Messages dropped per topic because the queue was full.
        public var dropped: [String: UInt64]
    }

    /// The name of the Metadata record that reports the recording's drops.
    public static let metadataName = "vla_node.recorder"

    private struct Drops {
        var byTopic: [String: UInt64] = [:]
        var throttle = LogThrottle()
    }

    /// The bag's path.
    public let path: String
    private let queue: RecordQueue
    private let writer: BagWriterThread
    private let drops = Locked(Drops())
    private let counters: NodeCounters
    private let logger: Logger
    private let finished = Locked<Summary?>(nil)

    /// Creates the bag with one channel per node topic (the camera channel typed per `cameraType`) and
    /// starts the writer thread. The camera is offered with the QoS rosbag2 records for a default
    /// publisher (its ZeroMQ publisher's QoS is unknown), the instruction as
    /// `ROS2QoSProfile.latchedInstruction`, the node's outputs as `ROS2QoSProfile.nodeOutput`.
    /// - Throws: `NodeError.record` when the file cannot be created.
    public init(settings: RecordSettings, topics: TopicSettings, counters: NodeCounters,
                logger: Logger = Logger(label: "vla-node.record")) throws {
        let cameraType: any ROSMessage.Type = topics.cameraType == .image ? Image.self : CompressedImage.self
        let types: [String: any ROSMessage.Type] = [
            topics.camera.topic: cameraType, topics.instruction.topic: StringMessage.self, topics.reset.topic: EmptyMessage.self,
            topics.actionChunk.topic: ActionChunk.self, topics.latency.topic: InferenceLatency.self,
        ]
        let recorder: BagRecorder
        do {
            let directory = URL(fileURLWithPath: settings.path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let writer = try MCAPWriter(path: settings.path, options: MCAPWriter.Options(compression: settings.compression.mcapCompression))
            let qos: [String: [ROS2QoSProfile]] = [
                topics.instruction.topic: [.latchedInstruction],
                topics.actionChunk.topic: [.nodeOutput], topics.latency.topic: [.nodeOutput],
            ]
            recorder = try BagRecorder(writer: writer, topics: types, qos: qos)
        } catch {
            throw NodeError.record(path: settings.path, reason: String(describing: error))
        }
        path = settings.path
        self.counters = counters
        self.logger = logger
        let queue = RecordQueue(capacityBytes: settings.queueBytes)
        self.queue = queue
        let drops = self.drops
        let topicNames = types.keys.sorted()
        writer = BagWriterThread(recorder: recorder, queue: queue, path: settings.path, metadata: {
            Self.metadata(dropped: drops.withLock { $0.byTopic }, topics: topicNames, queueBytes: queue.capacityBytes)
        }, logger: logger)
        writer.start()
    }

    /// Queues one message (`[topic, CDR]`) stamped with the current wall-clock time; never waits.
    /// Messages on other topics or that do not decode are left out by the writer (`BagRecorder`).
    public func record(_ frames: [[UInt8]]) {
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1e9))
        guard queue.offer(PendingRecord(frames: frames, time: now)) == .full else { return }
        let topic = frames.first.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? "(no frames)"
        counters.increment(.recorderDrops)
        let (count, loud) = drops.withLock { drops -> (UInt64, Bool) in
            drops.byTopic[topic, default: 0] += 1
            return (drops.byTopic.values.reduce(0, +), drops.throttle.next())
        }
        let message: Logger.Message = "recorder queue full (node.record.queue_mb): dropped a message on \(topic) (\(count) dropped so far)"
        if loud { logger.warning(message) } else { logger.debug(message) }
    }

    /// Messages dropped so far per topic because the queue was full.
    public var droppedByTopic: [String: UInt64] {
        drops.withLock { $0.byTopic }
    }

    /// Stops accepting messages, waits for the writer to drain the queue, then writes the drop report
    /// and the summary. Idempotent: later calls return the same summary.
    @discardableResult
    public func finish(timeout: TimeInterval = 120) -> Summary {
        if let summary = finished.withLock({ $0 }) { return summary }
        queue.close()
        let recorded: [String: UInt64]
        if let counts = writer.waitUntilFinished(timeout: timeout) {
            recorded = counts
        } else {
            logger.error("bag writer still busy after \(timeout) s: \(path) is unfinished; `vla-node bag recover` can rebuild it")
            recorded = [:]
        }
        let summary = Summary(recorded: recorded, dropped: droppedByTopic)
        finished.withLock { $0 = summary }
        return summary
    }

    /// The `vla_node.recorder` Metadata record: `dropped.<topic>` for every topic, their total and the
    /// queue capacity.
    static func metadata(dropped: [String: UInt64], topics: [String], queueBytes: Int) -> MCAPMetadata {
        var pairs = ["queue_bytes": String(queueBytes), "dropped_total": String(dropped.values.reduce(0, +))]
        for topic in Set(topics).union(dropped.keys) { pairs["dropped.\(topic)"] = String(dropped[topic] ?? 0) }
        return MCAPMetadata(name: metadataName, metadata: pairs)
    }
}
