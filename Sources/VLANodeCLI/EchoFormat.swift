import Foundation
import Messages

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
            + "frames=\(latency.framesReceived) skipped=\(latency.framesSkipped) drops=\(latency.queueDrops) rec_drops=\(latency.recorderDrops) "
            + "misses=\(latency.deadlineMisses) layers=\(latency.llmLayersKept)/\(latency.llmLayersTotal) "
            + "tokens=\(latency.visualTokensKept)/\(latency.visualTokensTotal) ddim=\(latency.diffusionSteps) cache=\(latency.cacheInterval) "
            + "reused=\(latency.visualTokensReused) recomputed=\(latency.visualTokensRecomputed) full_refresh=\(latency.fullRefresh)"
    }

    private static func stamp(_ time: Time) -> String {
        String(format: "%d.%03d", time.sec, time.nanosec / 1_000_000)
    }
}
