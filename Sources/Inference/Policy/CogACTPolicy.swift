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
///   (VLA-Cache style, see `TemporalReuseSettings`). The language model's text rows and the action
///   head always run.
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
    public private(set) var temporalReuse = TemporalReuseSettings.off

    private var lastFrame: (image: RGBImage, resized: RGBImage, projected: [Float])?
    private let planner: TemporalReusePlanner
    /// The language model's keys/values of the previous inference (read by tests).
    let prefillCache: PrefillCache

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
        planner = TemporalReusePlanner(patchSize: model.config.vision.patchSize)
        let llm = model.config.llm
        prefillCache = PrefillCache(kvWidth: llm.kvHeads * llm.headDim, hidden: llm.hidden)
    }

    /// Replaces the temporal-reuse settings after checking them against the model (throws
    /// `TemporalReuseError`); the next inference is a full refresh.
    public func configureTemporalReuse(_ settings: TemporalReuseSettings) throws {
        try settings.validate(layersRun: model.llm.layerIndices.count)
        temporalReuse = settings
        resetTemporalReuse()
    }

    /// Forgets every cached frame (a new episode): the next inference recomputes everything.
    public func resetTemporalReuse() {
        planner.reset()
        prefillCache.clear()
        lastFrame = nil
    }

    /// Values per action chunk (`horizon × actionDim`).
    public var actionCount: Int { model.actionCount }

    /// Normalised CHW pixel values of `image` for the DINO and SigLIP towers.
    public func preprocess(_ image: RGBImage) -> (dino: [Float], siglip: [Float]) {
        normalize(resize(image))
    }

    /// `image` at the towers' input size (Pillow-exact bicubic; unchanged when already that size).
    private func resize(_ image: RGBImage) -> RGBImage {
        let size = model.config.vision.imageSize
        return ImageResampler.resizeBicubic(image, width: size, height: size)
    }

    private func normalize(_ resized: RGBImage) -> (dino: [Float], siglip: [Float]) {
        let dino = model.config.vision.dino, siglip = model.config.vision.siglip
        return (resized.normalizedCHW(mean: dino.mean, std: dino.std), resized.normalizedCHW(mean: siglip.mean, std: siglip.std))
    }

    /// Predicts the action chunk for `image` and `instruction`, un-normalised with `unnormKey`.
    ///
    /// - Parameters:
    ///   - noise: the initial DDIM sample `x_T` (`actionCount` values); nil draws it from `seed`.
    ///   - seed: seeds the noise when `noise` is nil, so equal inputs give equal actions.
    /// - Throws: `PolicyError` for an empty instruction or wrong noise size, `ConfigError` for an
    ///   unknown unnorm key, `InferenceError` for inputs of the wrong shape.
    public func predictAction(image: RGBImage, instruction: String, unnormKey: String,
                              noise: [Float]? = nil, seed: UInt64 = 0) throws -> PolicyPrediction {
        let ids = try prompts.inputIDs(for: instruction)
        _ = try model.statistics.action(for: unnormKey)
        let initial = noise ?? { var generator = GaussianNoise(seed: seed); return generator.next(actionCount) }()
        guard initial.count == actionCount else {
            throw PolicyError.wrongNoiseSize(expected: actionCount, found: initial.count)
        }

        var timings = StageTimings()
        var preprocessMilliseconds = 0.0
        let frame: (resized: RGBImage, projected: [Float])
        let reused = reusesVisionFeatures && lastFrame?.image == image
        if reused, let cached = lastFrame {
            frame = (cached.resized, cached.projected)
        } else {
            let (prepared, preprocessTime) = StageTimings.measure { () -> (RGBImage, (dino: [Float], siglip: [Float])) in
                let resized = resize(image)
                return (resized, normalize(resized))
            }
            preprocessMilliseconds = preprocessTime
            frame = (prepared.0, try model.encodeImage(dino: prepared.1.dino, siglip: prepared.1.siglip, timings: &timings))
            lastFrame = reusesVisionFeatures ? (image, frame.resized, frame.projected) : nil
        }
        let (prediction, temporal) = try predict(frame: frame, inputIDs: ids, noise: initial, unnormKey: unnormKey, timings: timings)
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

    /// The language model and action head over `frame`, with temporal reuse when it is enabled.
    /// Any failure forgets the cached frame, so the cache and the reference pixels never disagree.
    private func predict(frame: (resized: RGBImage, projected: [Float]), inputIDs: [Int32], noise: [Float], unnormKey: String,
                         timings: StageTimings) throws -> (ActionPrediction, TemporalReuseReport?) {
        guard temporalReuse.enabled else {
            return (try model.predict(projectedPatches: frame.projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                      timings: timings), nil)
        }
        let decision = planner.decide(frame: frame.resized, inputIDs: inputIDs, relevance: prefillCache.relevance, settings: temporalReuse)
        do {
            let prediction = try model.predict(projectedPatches: frame.projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                               timings: timings,
                                               temporal: TemporalPrefill(cache: prefillCache, patches: decision.reusablePatches,
                                                                         settings: temporalReuse))
            let reusedPatches = Set(prefillCache.reusedRows.map { $0 - 1 })
            planner.commit(decision, reused: reusedPatches, frame: frame.resized, inputIDs: inputIDs)
            return (prediction, TemporalReuseReport(reused: reusedPatches.count, recomputed: model.patchCount - reusedPatches.count,
                                                    staticPatches: decision.staticPatches, refresh: decision.refresh))
        } catch {
            resetTemporalReuse()
            throw error
        }
    }
}
