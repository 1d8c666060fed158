import Logging
import Messages

/// Routes one received ZeroMQ message to the node's shared state. Used by the ingress thread only.
///
/// Topics match exactly (ZeroMQ subscriptions match prefixes, so `/camera/image_raw_2` also arrives and
/// is counted as an unknown topic). A camera message that passes `CameraFrameDecoder.validate` goes
/// into the frame mailbox with its receive time and header stamp; an instruction is decoded as
/// `std_msgs/String` and handed to `InstructionIngress`; a `std_msgs/Empty` on the reset topic starts a
/// new episode (`EpisodeReset`). Anything else is logged and counted, never fatal.
public final class IngressRouter {
    /// What happened to one message.
    public enum Outcome: Equatable, Sendable {
        /// A camera frame was put into the frame mailbox.
        case frame
        /// An instruction became current (or repeated the current one).
        case instruction(InstructionUpdate)
        /// A reset message started a new episode.
        case reset(EpisodeReset.Outcome)
        /// The message was refused and counted as malformed on `topic`.
        case malformed(topic: String, reason: String)
        /// The topic frame matches no input topic.
        case unknownTopic(String)

        /// True for a frame put into the mailbox or an instruction accepted (new or repeated): the
        /// messages worth recording.
        public var isAccepted: Bool {
            switch self {
            case .frame, .instruction, .reset: return true
            case .malformed, .unknownTopic: return false
            }
        }
    }

    private let cameraTopic: [UInt8]
    private let instructionTopic: [UInt8]
    private let resetTopic: [UInt8]
    private let cameraTopicName: String
    private let instructionTopicName: String
    private let resetTopicName: String
    private let decoder: CameraFrameDecoder
    private let frames: LatestValueMailbox<ObservedFrame>
    private let instructions: InstructionIngress
    private let resets: EpisodeReset
    private let statistics: NodeStatistics
    /// The node's counters (the ingress counts connection events on them too).
    var counters: NodeCounters { statistics.counters }
    private let clock = SystemMonotonicClock()
    private let logger: Logger
    private var refusals = LogThrottle()  // ingress thread only

    /// Creates the router for the launch file's input topics.
    public init(topics: TopicSettings, frames: LatestValueMailbox<ObservedFrame>, instructions: InstructionIngress,
                resets: EpisodeReset, statistics: NodeStatistics, logger: Logger = Logger(label: "vla-node.ingress")) {
        cameraTopicName = topics.camera.topic
        instructionTopicName = topics.instruction.topic
        resetTopicName = topics.reset.topic
        cameraTopic = Array(cameraTopicName.utf8)
        instructionTopic = Array(instructionTopicName.utf8)
        resetTopic = Array(resetTopicName.utf8)
        self.resets = resets
        decoder = CameraFrameDecoder(type: topics.cameraType)
        self.frames = frames
        self.instructions = instructions
        self.statistics = statistics
        self.logger = logger
    }

    /// Handles one multipart message received at `receivedAt` (monotonic nanoseconds).
    @discardableResult
    public func route(_ message: [[UInt8]], receivedAt: UInt64) -> Outcome {
        guard let topic = message.first else { return refuse(topic: "(no frames)", reason: "empty message") }
        if topic == cameraTopic { return routeCamera(message, receivedAt: receivedAt) }
        if topic == instructionTopic { return routeInstruction(message) }
        if topic == resetTopic { return routeReset(message) }
        counters.increment(.unknownTopics)
        let name = String(decoding: topic.prefix(200), as: UTF8.self)
        logger.debug("ignored a message on unknown topic \(name.debugDescription)")
        return .unknownTopic(name)
    }

    private func routeCamera(_ message: [[UInt8]], receivedAt: UInt64) -> Outcome {
        guard message.count == 2 else { return wrongFrameCount(cameraTopicName, message.count) }
        do {
            let start = clock.now()
            let stamp = try decoder.validate(message[1])
            frames.put(ObservedFrame(message: message[1], receivedAt: receivedAt, stamp: stamp))
            statistics.recordIngress(milliseconds: Double(clock.now() - start) / 1e6)
            return .frame
        } catch {
            return refuse(topic: cameraTopicName, reason: String(describing: error))
        }
    }

    private func routeInstruction(_ message: [[UInt8]]) -> Outcome {
        guard message.count == 2 else { return wrongFrameCount(instructionTopicName, message.count) }
        let text: String
        do {
            text = try StringMessage(cdrBytes: message[1]).data
        } catch {
            return refuse(topic: instructionTopicName, reason: "not a valid \(StringMessage.typeName): \(error)")
        }
        do {
            let update = try instructions.receive(text)
            if case .changed(let sequence) = update {
                logger.info("instruction #\(sequence): \(text.debugDescription)")
            }
            return .instruction(update)
        } catch {
            logger.warning("\(error)")  // counted by InstructionIngress as a rejected instruction
            return .malformed(topic: instructionTopicName, reason: String(describing: error))
        }
    }

    private func routeReset(_ message: [[UInt8]]) -> Outcome {
        guard message.count == 2 else { return wrongFrameCount(resetTopicName, message.count) }
        do {
            _ = try EmptyMessage(cdrBytes: message[1])
        } catch {
            return refuse(topic: resetTopicName, reason: "not a valid \(EmptyMessage.typeName): \(error)")
        }
        return .reset(resets.reset(source: resetTopicName))
    }

    private func wrongFrameCount(_ topic: String, _ count: Int) -> Outcome {
        refuse(topic: topic, reason: "\(count) frames; expected 2 ([topic, CDR payload])")
    }

    private func refuse(topic: String, reason: String) -> Outcome {
        counters.recordMalformed(topic: topic)
        if refusals.next() {
            logger.warning("dropped a message on \(topic): \(reason) (\(refusals.count) dropped so far)")
        } else {
            logger.debug("dropped a message on \(topic): \(reason)")
        }
        return .malformed(topic: topic, reason: reason)
    }
}
