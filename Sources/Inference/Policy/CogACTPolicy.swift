import Foundation
import Imaging

/// The CogACT policy as a robot sees it: an RGB frame and an instruction in, a chunk of actions out.
///
/// Wraps `CogACTModel` with the checkpoint's tokenizer and CogACT's preprocessing: a Pillow-exact
/// bicubic resize to `image_size` (skipped when the frame already has that size), each tower's
/// normalisation, and the prompt `config.prompt` with the lower-cased instruction.
///
/// Temporal feature reuse: when a frame is pixel-for-pixel equal to the previous one, its projected
/// vision features are reused and the vision towers and projector are skipped. The language model
/// and the action head always run (the instruction or the noise may differ).
///
/// Thread safety: like the model, a policy must be driven by one thread at a time.
public final class CogACTPolicy {
    /// The engine.
    public let model: CogACTModel
    /// Instruction → token ids.
    public let prompts: PromptBuilder
    /// Whether identical consecutive frames reuse their vision features (default true).
    public var reusesVisionFeatures = true

    private var lastFrame: (image: RGBImage, projected: [Float])?

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
    }

    /// Values per action chunk (`horizon × actionDim`).
    public var actionCount: Int { model.actionCount }

    /// Normalised CHW pixel values of `image` for the DINO and SigLIP towers.
    public func preprocess(_ image: RGBImage) -> (dino: [Float], siglip: [Float]) {
        let size = model.config.vision.imageSize
        let resized = ImageResampler.resizeBicubic(image, width: size, height: size)
        let dino = model.config.vision.dino, siglip = model.config.vision.siglip
        return (resized.normalizedCHW(mean: dino.mean, std: dino.std),
                resized.normalizedCHW(mean: siglip.mean, std: siglip.std))
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
        let projected: [Float]
        let reused = reusesVisionFeatures && lastFrame?.image == image
        if reused, let cached = lastFrame?.projected {
            projected = cached
        } else {
            let (pixels, preprocessTime) = StageTimings.measure { preprocess(image) }
            preprocessMilliseconds = preprocessTime
            projected = try model.encodeImage(dino: pixels.dino, siglip: pixels.siglip, timings: &timings)
            lastFrame = reusesVisionFeatures ? (image, projected) : nil
        }
        let prediction = try model.predict(projectedPatches: projected, inputIDs: ids, noise: initial,
                                           unnormKey: unnormKey, timings: timings)
        return PolicyPrediction(actions: prediction.actions, normalizedActions: prediction.normalizedActions,
                                sample: prediction.sample, cognition: prediction.cognition, inputIDs: ids,
                                preprocessMilliseconds: preprocessMilliseconds, timings: prediction.timings,
                                reusedVisionFeatures: reused, actionDimension: model.config.action.actionDim)
    }
}
