import Inference

/// The node's `PolicyRunner` over `CogACTPolicy`: decodes the camera payload, predicts the chunk and
/// reports per-stage times, the visual tokens kept, what temporal reuse did and the FLOPs the
/// inference actually ran (`PolicyPrediction.flops`: vision and projector are 0 when the frame was
/// identical to the previous one, the language model counts only the rows it recomputed). Runs on
/// the inference thread only.
public final class CogACTPolicyRunner: PolicyRunner {
    private let policy: CogACTPolicy
    private let decoder: CameraFrameDecoder
    private let unnormKey: String
    private let clock = SystemMonotonicClock()
    private var inferenceCount: UInt64 = 0
    private var previous: PreviousChunk?  // the last chunk, for real-time chunking

    /// Wraps a loaded policy for camera messages of `cameraType`.
    public init(policy: CogACTPolicy, cameraType: CameraMessageType, unnormKey: String) {
        self.policy = policy
        decoder = CameraFrameDecoder(type: cameraType)
        self.unnormKey = unnormKey
    }

    /// The acceleration settings of the loaded model, for the start-up log and the latency topic. The
    /// visual tokens kept are the configured budget here; each inference reports the tokens it kept.
    public var acceleration: AccelerationReport {
        let model = policy.model
        return AccelerationReport(llmLayersKept: model.llm.layerIndices.count, llmLayersTotal: model.config.llm.layers,
                                  visualTokensKept: model.acceleration.activeBudget(patches: model.patchCount) ?? model.patchCount,
                                  visualTokensTotal: model.patchCount, cacheInterval: model.acceleration.cacheInterval,
                                  diffusionSteps: model.ddimSchedule.steps.count)
    }

    /// Predicts the chunk. The DDIM noise is seeded with the frame's `header.stamp`, so the same frame
    /// always gets the same noise: a replayed bag, or a simulator that stamps its frames with sim time,
    /// reproduces its actions exactly whichever other frames were dropped or how many inferences ran
    /// before. A frame without a stamp (zero) falls back to the inference count.
    ///
    /// With a `continuation` (real-time chunking) the chunk is sampled as a continuation of the
    /// previous one (`PreviousChunk.inpainting`), unless there is none for this instruction yet.
    public func infer(frame: ObservedFrame, instruction: String, continuation: ChunkContinuation?) throws -> ChunkResult {
        let decodeStart = clock.now()
        let image = try decoder.image(from: frame.message)
        let decodeMilliseconds = Double(clock.now() - decodeStart) / 1e6
        inferenceCount &+= 1
        if previous?.instruction != instruction { previous = nil }
        let inpainting = continuation.flatMap { previous?.inpainting(observedAt: frame.receivedAt, continuation: $0) }
        let prediction = try policy.predictAction(image: image, instruction: instruction, unnormKey: unnormKey,
                                                  seed: Self.noiseSeed(stamp: frame.stamp, inferenceCount: inferenceCount),
                                                  inpainting: inpainting)
        previous = continuation.map { _ in
            PreviousChunk(sample: prediction.sample, observationTime: frame.receivedAt, instruction: instruction,
                          dimension: prediction.actionDimension)
        }
        let actions = prediction.rows(prediction.actions)
        let timings = prediction.timings
        let stages = [
            StageTiming(name: StageTiming.decode, milliseconds: decodeMilliseconds + prediction.preprocessMilliseconds),
            StageTiming(name: StageTiming.vision, milliseconds: timings.vision),
            StageTiming(name: StageTiming.projector, milliseconds: timings.projector),
            StageTiming(name: StageTiming.llm, milliseconds: timings.llm),
            StageTiming(name: StageTiming.actionHead, milliseconds: timings.action),
            StageTiming(name: StageTiming.post, milliseconds: timings.post),
        ]
        let tokenReuse = prediction.temporalReuse.map {
            VisualTokenReuse(reused: $0.reused, recomputed: $0.recomputed, refreshReason: $0.refresh?.rawValue)
        }
        return ChunkResult(actions: actions, stages: stages, gflop: prediction.flops.total / 1e9,
                           visualTokensKept: policy.model.lastKeptVisualTokens?.count ?? policy.model.patchCount, tokenReuse: tokenReuse)
    }
}

extension CogACTPolicyRunner {
    /// Clears temporal reuse (the next inference computes every visual token) and the previous chunk
    /// real-time chunking continues from.
    public func resetEpisode() {
        policy.resetTemporalReuse()
        previous = nil
    }

    /// The DDIM noise seed of a frame: its stamp's bits when it has a positive stamp, else the
    /// 1-based inference count.
    static func noiseSeed(stamp: Int64?, inferenceCount: UInt64) -> UInt64 {
        guard let stamp, stamp > 0 else { return inferenceCount }
        return UInt64(bitPattern: stamp)
    }
}

/// EfficientVLA settings in effect, as reported on the latency topic.
public struct AccelerationReport: Equatable, Sendable {
    /// Language-model layers executed.
    public let llmLayersKept: Int
    /// Layers in the checkpoint.
    public let llmLayersTotal: Int
    /// Visual tokens passed to the language model.
    public let visualTokensKept: Int
    /// Visual tokens the vision towers produce.
    public let visualTokensTotal: Int
    /// Diffusion feature-cache interval (1 = no caching).
    public let cacheInterval: Int
    /// DDIM steps of the action head.
    public let diffusionSteps: Int

    /// Creates a report.
    public init(llmLayersKept: Int, llmLayersTotal: Int, visualTokensKept: Int, visualTokensTotal: Int,
                cacheInterval: Int, diffusionSteps: Int) {
        self.llmLayersKept = llmLayersKept
        self.llmLayersTotal = llmLayersTotal
        self.visualTokensKept = visualTokensKept
        self.visualTokensTotal = visualTokensTotal
        self.cacheInterval = cacheInterval
        self.diffusionSteps = diffusionSteps
    }
}
