import Foundation
import Imaging

/// The CogACT policy as a robot sees it: an RGB frame and an instruction in, a chunk of actions out.
///
/// Wraps `CogACTModel` with the checkpoint's tokenizer and CogACT's preprocessing: a Pillow-exact
/// bicubic resize to `image_size` (skipped when the frame already has that size), each tower's
/// normalisation, and the prompt `config.prompt` with the lower-cased instruction.
///
/// Temporal feature reuse, two kinds:
/// - a frame pixel-for-pixel equal to the previous one reuses its projected vision features, so the
///   vision towers and projector are skipped (`reusesVisionFeatures`, on by default);
/// - with `temporalReuse` enabled, the language model recomputes only the patches that changed or
///   that the instruction attends to; the others keep the previous inference's keys/values
///   (VLA-Cache style, see `TemporalReuseSettings`), and with `visionTowers` their tower features
///   too. The language model's text rows and the action head always run.
///
/// Thread safety: like the model, a policy must be driven by one thread at a time.
public final class CogACTPolicy {
    /// The engine.
    public let model: CogACTModel
    /// Instruction → token ids.
    public let prompts: PromptBuilder
    /// Whether identical consecutive frames reuse their vision features (default true).
    public var reusesVisionFeatures = true
    /// Temporal reuse in the language model (default off); set it with `configureTemporalReuse`.
    public var temporalReuse: TemporalReuseSettings { session.settings }

    private var lastFrame: (image: RGBImage, resized: RGBImage, projected: [Float])?
    /// The last instruction's token ids: a robot repeats one instruction for many frames, and
    /// tokenizing it again costs more than the rest of the node's per-frame work.
    private var lastPrompt: (instruction: String, ids: [Int32])?
    /// Temporal reuse over this policy's frames.
    let session: TemporalReuseSession

    /// Loads the model directory (config.json, weights, tokenizer.model, dataset_statistics.json).
    public convenience init(directory: URL, options: EngineOptions = .init()) throws {
        let model = try CogACTModel(directory: directory, options: options)
        let tokenizer = try SentencePieceTokenizer(contentsOf: directory.appendingPathComponent("tokenizer.model"))
        try self.init(model: model, tokenizer: tokenizer)
    }

    /// A policy over an already built model.
    public init(model: CogACTModel, tokenizer: SentencePieceTokenizer) throws {
        self.model = model
        prompts = try PromptBuilder(config: model.config, tokenizer: tokenizer)
        session = TemporalReuseSession(model: model)
    }

    /// Replaces the temporal-reuse settings after checking them against the model (throws
    /// `TemporalReuseError`); the next inference is a full refresh.
    public func configureTemporalReuse(_ settings: TemporalReuseSettings) throws {
        try session.configure(settings)
        lastFrame = nil
    }

    /// Forgets every cached frame (a new episode): the next inference recomputes everything.
    public func resetTemporalReuse() {
        session.reset()
        lastFrame = nil
    }

    /// Values per action chunk (`horizon × actionDim`).
    public var actionCount: Int { model.actionCount }

    /// Normalised CHW pixel values of `image` for the DINO and SigLIP towers.
    public func preprocess(_ image: RGBImage) -> (dino: [Float], siglip: [Float]) {
        let prepared = model.preparePixels(image)
        return (prepared.dino, prepared.siglip)
    }

    /// Predicts the action chunk for `image` and `instruction`, un-normalised with `unnormKey`.
    ///
    /// - Parameters:
    ///   - noise: the initial DDIM sample `x_T` (`actionCount` values); nil draws it from `seed`.
    ///   - seed: seeds the noise when `noise` is nil, so equal inputs give equal actions.
    ///   - inpainting: pulls the chunk towards a previous one while sampling (real-time chunking).
    /// - Throws: `PolicyError` for an empty instruction or wrong noise size, `ConfigError` for an
    ///   unknown unnorm key, `InferenceError` for inputs of the wrong shape.
    public func predictAction(image: RGBImage, instruction: String, unnormKey: String,
                              noise: [Float]? = nil, seed: UInt64 = 0, inpainting: ActionInpainting? = nil) throws -> PolicyPrediction {
        let ids = try inputIDs(for: instruction)
        _ = try model.statistics.action(for: unnormKey)
        let initial = noise ?? { var generator = GaussianNoise(seed: seed); return generator.next(actionCount) }()
        guard initial.count == actionCount else {
            throw PolicyError.wrongNoiseSize(expected: actionCount, found: initial.count)
        }

        var preprocessMilliseconds = 0.0
        let prediction: ActionPrediction, temporal: TemporalReuseReport?
        // With reuse in the towers every frame goes through them, so that their cache follows the frames.
        let reused = reusesVisionFeatures && !session.reusesTowers && lastFrame?.image == image
        if reused, let cached = lastFrame {
            (prediction, temporal) = try session.predict(resized: cached.resized, projectedPatches: cached.projected, inputIDs: ids,
                                                         noise: initial, unnormKey: unnormKey, inpainting: inpainting)
        } else {
            let (prepared, preprocessTime) = StageTimings.measure { model.preparePixels(image) }
            preprocessMilliseconds = preprocessTime
            let projected: [Float]
            (prediction, temporal, projected) = try session.predict(resized: prepared.resized, dino: prepared.dino, siglip: prepared.siglip,
                                                                    inputIDs: ids, noise: initial, unnormKey: unnormKey, inpainting: inpainting)
            lastFrame = reusesVisionFeatures ? (image, prepared.resized, projected) : nil
        }
        var flops = model.lastForwardFLOPs(tokenCount: ids.count)
        if reused {
            flops.vision = 0
            flops.projector = 0
        }
        return PolicyPrediction(actions: prediction.actions, normalizedActions: prediction.normalizedActions,
                                sample: prediction.sample, cognition: prediction.cognition, inputIDs: ids,
                                preprocessMilliseconds: preprocessMilliseconds, timings: prediction.timings,
                                reusedVisionFeatures: reused, actionDimension: model.config.action.actionDim,
                                flops: flops, temporalReuse: temporal)
    }

    private func inputIDs(for instruction: String) throws -> [Int32] {
        if let lastPrompt, lastPrompt.instruction == instruction { return lastPrompt.ids }
        let ids = try prompts.inputIDs(for: instruction)
        lastPrompt = (instruction, ids)
        return ids
    }
}
