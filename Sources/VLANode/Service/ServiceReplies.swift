import Foundation
import Inference

/// The JSON objects of the node service's replies, as `JSONSerialization` values. Absent values are
/// JSON `null`, never missing keys, so a client can index every documented key.
enum ServiceReplies {
    /// `null` in a reply.
    static let null: Any = NSNull()

    static func optional(_ value: Any?) -> Any { value ?? null }

    static func error(_ message: String) -> [String: Any] {
        ["ok": false, "error": message, "ops": ServiceOperation.allCases.map(\.rawValue)]
    }

    static func chunkPolicy(_ policy: ChunkPolicy) -> [String: Any] {
        switch policy {
        case .chunking: return ["name": "chunking"]
        case .ensemble(let alpha, let horizon): return ["name": "ensemble", "alpha": alpha, "horizon": horizon]
        case .aggregate(let rule): return ["name": "aggregate", "function": rule.name, "new_weight": rule.newWeight]
        case .realTimeChunking: return ["name": "rtc"]
        }
    }

    static func acceleration(_ report: AccelerationReport, temporalReuse: TemporalReuseSettings?) -> [String: Any] {
        [
            "llm_layers_kept": report.llmLayersKept, "llm_layers_total": report.llmLayersTotal,
            "visual_tokens_kept": report.visualTokensKept, "visual_tokens_total": report.visualTokensTotal,
            "cache_interval": report.cacheInterval, "diffusion_steps": report.diffusionSteps,
            "temporal_reuse": optional(temporalReuse.map(Self.temporalReuse)),
        ]
    }

    private static func temporalReuse(_ settings: TemporalReuseSettings) -> [String: Any] {
        [
            "enabled": settings.enabled, "measure": settings.measure.rawValue, "threshold": settings.threshold,
            "max_reused_share": settings.maxReusedShare, "relevant_share": settings.relevantShare,
            "relevance_layer": optional(settings.relevanceLayer), "start_layer": settings.startLayer,
            "refresh_interval": settings.refreshInterval, "max_changed_share": settings.maxChangedShare,
            "vision_towers": settings.visionTowers,
        ]
    }

    static func actions(_ model: ModelDescription) -> [String: Any] {
        let statistics = model.statistics
        return [
            "columns": ActionColumns.columns(width: model.actionDimension).map { ["name": $0.name, "meaning": $0.meaning] },
            "unnorm_key": model.unnormKey,
            "statistics": ["q01": statistics.q01.map(Double.init), "q99": statistics.q99.map(Double.init),
                           "mask": statistics.effectiveMask],
            "postprocessing": "clip to [-1, 1]; gripper (last column) to 0 below 0.5, else 1; "
                + "a = 0.5 (x + 1) (q99 - q01) + q01 on the columns where mask is true",
        ]
    }

    static func topics(_ topics: TopicSettings) -> [String: Any] {
        func binding(_ binding: TopicBinding, type: String) -> [String: Any] {
            ["topic": binding.topic, "type": type, binding.endpoint.mode.rawValue: binding.endpoint.address]
        }
        return [
            "camera": binding(topics.camera, type: topics.cameraType.rawValue),
            "instruction": binding(topics.instruction, type: "std_msgs/msg/String"),
            "reset": binding(topics.reset, type: "std_msgs/msg/Empty"),
            "action_chunk": binding(topics.actionChunk, type: "vla_msgs/msg/ActionChunk"),
            "latency": binding(topics.latency, type: "vla_msgs/msg/InferenceLatency"),
        ]
    }

    static func latency(_ summary: LatencySummary?) -> Any {
        guard let summary else { return null }
        return ["n": summary.count, "p50": summary.p50, "p95": summary.p95, "p99": summary.p99, "max": summary.max]
    }

    /// `inferenceFailures` → `inference_failures`.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }

    static func stats(_ summary: StatsSummary) -> [String: Any] {
        [
            "ok": true, "op": ServiceOperation.stats.rawValue, "line": summary.line,
            "inference_ms": latency(summary.inference), "jitter_ms": latency(summary.tickJitter),
            "ingress_ms": latency(summary.ingress), "overhead_ms": latency(summary.overhead),
            "frames": ["received": summary.frames.received, "skipped": summary.frames.skipped],
            "counters": Dictionary(uniqueKeysWithValues: NodeCounter.allCases.map { (snakeCase($0.rawValue), summary.counters[$0]) }),
            "malformed": summary.counters.malformedByTopic,
        ]
    }
}
