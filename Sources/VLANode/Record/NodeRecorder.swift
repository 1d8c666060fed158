import Bag
import Foundation
import Logging
import Messages

/// The node's optional bag: every message it receives (ingress thread) and publishes (control thread),
/// written through one `BagRecorder` behind a lock. Write failures are logged once and stop recording;
/// they never stop the node. `finish()` writes the summary and footer at shutdown.
public final class NodeRecorder: @unchecked Sendable {
    private struct State {
        var recorder: BagRecorder?
        var failed = false
    }

    private let state: Locked<State>
    private let logger: Logger
    /// The bag's path.
    public let path: String

    /// Creates the bag with one channel per node topic (the camera channel typed per `cameraType`).
    /// - Throws: `NodeError.record` when the file cannot be created.
    public init(settings: RecordSettings, topics: TopicSettings, logger: Logger = Logger(label: "vla-node.record")) throws {
        let cameraType: any ROSMessage.Type = topics.cameraType == .image ? Image.self : CompressedImage.self
        let types: [String: any ROSMessage.Type] = [
            topics.camera.topic: cameraType, topics.instruction.topic: StringMessage.self,
            topics.actionChunk.topic: ActionChunk.self, topics.latency.topic: InferenceLatency.self,
        ]
        do {
            let directory = URL(fileURLWithPath: settings.path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let writer = try MCAPWriter(path: settings.path, options: MCAPWriter.Options(compression: settings.compression.mcapCompression))
            state = Locked(State(recorder: try BagRecorder(writer: writer, topics: types)))
        } catch {
            throw NodeError.record(path: settings.path, reason: String(describing: error))
        }
        path = settings.path
        self.logger = logger
    }

    /// Records one message (`[topic, CDR]`); other topics and undecodable payloads are skipped by
    /// `BagRecorder` (malformed input is counted by the ingress, not recorded).
    public func record(_ frames: [[UInt8]]) {
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1e9))
        state.withLock { state in
            guard let recorder = state.recorder, !state.failed else { return }
            do {
                try recorder.record(frames: frames, receiveTime: now)
            } catch {
                state.failed = true
                logger.error("recording stopped: cannot write \(path): \(error)")
            }
        }
    }

    /// Finishes the bag (summary, footer); later `record` calls do nothing. Returns the per-topic
    /// message counts written.
    @discardableResult
    public func finish() -> [String: UInt64] {
        state.withLock { state in
            guard let recorder = state.recorder else { return [:] }
            state.recorder = nil
            do {
                try recorder.finish()
            } catch {
                logger.error("cannot finish \(path): \(error); `vla-node bag recover` can rebuild it")
            }
            return recorder.recordedCounts
        }
    }
}
