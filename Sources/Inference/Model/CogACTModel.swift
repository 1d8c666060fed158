import Foundation
import Imaging

/// The CogACT policy on CPU: DINOv2 + SigLIP → projector → LLaMA-2 → DiT + DDIM.
///
/// Stages are public so a caller can reuse intermediate results (e.g. vision features of an
/// unchanged frame). Thread safety: a model owns mutable scratch buffers and must be used by
/// one thread at a time (wrap it in an actor or a serial queue to share it). The OpenBLAS
/// thread count is process-wide and briefly lowered during attention, so run one model's
/// inference at a time per process.
public final class CogACTModel {
    /// The architecture read from config.json.
    public let config: ModelConfig
    /// Un-normalisation statistics per unnorm key.
    public let statistics: DatasetStatistics
    /// The language backbone (exposes `layerIndices` for EfficientVLA layer pruning).
    public let llm: LlamaModel
    /// The action head.
    public let actionHead: DiffusionTransformer
    private let dino: VisionTransformer
    private let siglip: VisionTransformer
    private let projector: Projector
    private let sampler: DDIMSampler
    private let cfgScale: Float
    /// The EfficientVLA settings in force (see `updateRuntimeAcceleration` for the parts that
    /// can change after loading).
    public private(set) var acceleration: AccelerationSettings
    /// Visual token indices (0-based) kept by the last `cognition` call; nil when token
    /// selection did not run.
    public private(set) var lastKeptVisualTokens: [Int]?
    /// Patches the last image encode ran through the towers and the projector: all of them, or
    /// fewer under temporal reuse in the towers.
    public private(set) var lastEncodedPatches: Int

    /// Loads `config.json`, `dataset_statistics.json` and the safetensors weights of `directory`.
    /// A config describing more parameters than the checkpoint holds is refused before any
    /// weight is allocated (`WeightError.checkpointSmallerThanConfig`), so a wrong or hostile
    /// config.json cannot request an allocation larger than the checkpoint itself.
    public convenience init(directory: URL, options: EngineOptions = .init()) throws {
        let config = try ModelConfig.load(from: directory.appendingPathComponent("config.json"))
        let statistics = try DatasetStatistics.load(from: directory.appendingPathComponent("dataset_statistics.json"),
                                                    actionDim: config.action.actionDim)
        let weights = try WeightStore(directory: directory)
        let parameters = ParameterCount.loaded(config)
        guard parameters <= weights.elementCount else {
            throw WeightError.checkpointSmallerThanConfig(parameters: parameters, checkpointElements: weights.elementCount,
                                                          checkpoint: weights.location)
        }
        try self.init(config: config, weights: weights, statistics: statistics, options: options)
    }

    /// Builds the model from any weight source (a checkpoint or `RandomWeights`). Throws
    /// `ConfigError` when `statistics` do not have `action_dim` entries per dataset.
    public init(config: ModelConfig, weights: WeightSource, statistics: DatasetStatistics, options: EngineOptions = .init()) throws {
        try config.validate()
        try statistics.validate(actionDim: config.action.actionDim, file: "dataset statistics")
        try options.acceleration.validate(for: config)
        BLAS.configureThreads(options.blasThreads)
        acceleration = options.acceleration
        self.config = config
        self.statistics = statistics
        let vision = config.vision
        dino = try VisionTransformer(weights, prefix: "vision_backbone.dino_featurizer", config: vision.dino, vision: vision)
        siglip = try VisionTransformer(weights, prefix: "vision_backbone.siglip_featurizer", config: vision.siglip, vision: vision)
        projector = try Projector(weights, fusedWidth: vision.dino.width + vision.siglip.width, llmWidth: config.llm.hidden)
        let kept = (options.keepLLMLayers ?? Set(0 ..< config.llm.layers)).subtracting(options.acceleration.droppedLayers)
        llm = try LlamaModel(weights, config: config.llm, keepLayers: kept, mlpChannels: options.acceleration.keptChannels(layer:))
        actionHead = try DiffusionTransformer(weights, config: config.action, conditionWidth: config.llm.hidden)
        sampler = DDIMSampler(schedule: try DDIMSchedule(diffusionSteps: config.action.diffusionSteps,
                                                         ddimSteps: options.ddimSteps ?? config.action.ddimSteps))
        cfgScale = options.cfgScale ?? config.action.cfgScale
        lastEncodedPatches = vision.patchCount
    }

    /// Values per preprocessed image (`3 × size × size`, CHW).
    public var pixelCount: Int { 3 * config.vision.imageSize * config.vision.imageSize }
    /// Visual tokens per image.
    public var patchCount: Int { config.vision.patchCount }
    /// Values per action chunk (`horizon × actionDim`).
    public var actionCount: Int { config.action.horizon * config.action.actionDim }
    /// The DDIM steps this model samples with.
    public var ddimSchedule: DDIMSchedule { sampler.schedule }

    /// CogACT's preprocessing of a camera frame: a Pillow-exact bicubic resize to `image_size`
    /// (skipped when the frame already has that size), then each tower's normalisation to CHW.
    public func preparePixels(_ image: RGBImage) -> (resized: RGBImage, dino: [Float], siglip: [Float]) {
        let size = config.vision.imageSize
        let resized = ImageResampler.resizeBicubic(image, width: size, height: size)
        let dino = config.vision.dino, siglip = config.vision.siglip
        return (resized, resized.normalizedCHW(mean: dino.mean, std: dino.std), resized.normalizedCHW(mean: siglip.mean, std: siglip.std))
    }

    /// Fused vision features `[patches, dinoWidth + siglipWidth]` (DINO first) of normalised
    /// CHW pixel values for each tower.
    public func visionFeatures(dino dinoPixels: [Float], siglip siglipPixels: [Float]) throws -> [Float] {
        try check(dinoPixels.count, pixelCount, "pixel values (dino)")
        try check(siglipPixels.count, pixelCount, "pixel values (siglip)")
        let dw = config.vision.dino.width, width = dw + config.vision.siglip.width
        var fused = [Float](repeating: 0, count: patchCount * width)
        fused.withUnsafeMutableBufferPointer { out in
            dinoPixels.withUnsafeBufferPointer { dino.features(pixels: $0.baseAddress!, into: out.baseAddress!, ldo: width) }
            siglipPixels.withUnsafeBufferPointer { siglip.features(pixels: $0.baseAddress!, into: out.baseAddress! + dw, ldo: width) }
        }
        lastEncodedPatches = patchCount
        return fused
    }

    /// An empty cache for `encodeImage(…cache:recompute:)` (CogACT-Base: about 120 MB).
    func makeVisionCache() -> VisionCache {
        VisionCache(dino: dino.makeCache(), siglip: siglip.makeCache(), projectedCount: patchCount * config.llm.hidden)
    }

    /// Vision towers + projector with temporal reuse in the towers: only the patches `recompute`
    /// (ascending; nil, or an empty cache: all) run through the towers, attending to the cached
    /// keys/values of the others, and through the projector; the others keep `cache`'s projected
    /// rows. Returns the projected patches `[patches, hidden]` and the patches computed, and updates
    /// `cache`. With every patch recomputed the result equals `encodeImage` bit for bit.
    func encodeImage(dino dinoPixels: [Float], siglip siglipPixels: [Float], timings: inout StageTimings,
                     cache: VisionCache, recompute: [Int]?) throws -> (projected: [Float], recomputed: [Int]) {
        try check(dinoPixels.count, pixelCount, "pixel values (dino)")
        try check(siglipPixels.count, pixelCount, "pixel values (siglip)")
        let dw = config.vision.dino.width, width = dw + config.vision.siglip.width, d = config.llm.hidden
        var fused = [Float](repeating: 0, count: patchCount * width)
        // The DINOv2 tower decides (its cache and SigLIP's are filled and cleared together); SigLIP follows.
        let patches: [Int]
        (patches, timings.vision) = StageTimings.measure {
            fused.withUnsafeMutableBufferPointer { out in
                let computed = dinoPixels.withUnsafeBufferPointer {
                    dino.features(pixels: $0.baseAddress!, into: out.baseAddress!, ldo: width, cache: cache.dino, recompute: recompute)
                }
                _ = siglipPixels.withUnsafeBufferPointer {
                    siglip.features(pixels: $0.baseAddress!, into: out.baseAddress! + dw, ldo: width, cache: cache.siglip, recompute: computed)
                }
                return computed
            }
        }
        timings.projector = StageTimings.measure {
            let rows = patches.flatMap { fused[$0 * width ..< ($0 + 1) * width] }
            var projected = [Float](repeating: 0, count: patches.count * d)
            if !patches.isEmpty {
                rows.withUnsafeBufferPointer { input in
                    projected.withUnsafeMutableBufferPointer { projector.apply(input.baseAddress!, rows: patches.count, into: $0.baseAddress!) }
                }
            }
            for (row, patch) in patches.enumerated() { cache.projected[patch * d ..< (patch + 1) * d] = projected[row * d ..< (row + 1) * d] }
        }.1
        lastEncodedPatches = patches.count
        return (cache.projected, patches)
    }

    /// Projects fused features `[patches, fusedWidth]` to LLM embeddings `[patches, hidden]`.
    public func project(features: [Float]) throws -> [Float] {
        let fusedWidth = config.vision.dino.width + config.vision.siglip.width
        try check(features.count, patchCount * fusedWidth, "vision features")
        var out = [Float](repeating: 0, count: patchCount * config.llm.hidden)
        features.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { projector.apply(input.baseAddress!, rows: patchCount, into: $0.baseAddress!) }
        }
        return out
    }

    /// Vision towers + projector: projected patches `[patches, hidden]`.
    public func encodeImage(dino: [Float], siglip: [Float]) throws -> [Float] {
        try project(features: visionFeatures(dino: dino, siglip: siglip))
    }

    /// The LLM input `[1 + patches + ids.count − 1, hidden]`: BOS embedding, the projected
    /// patches, then the embeddings of the remaining ids.
    public func llmInput(projectedPatches: [Float], inputIDs: [Int32]) throws -> [Float] {
        let rows = try llmInputRows(projectedPatches: projectedPatches, inputIDs: inputIDs)
        var sequence = [Float](repeating: 0, count: rows * config.llm.hidden)
        try sequence.withUnsafeMutableBufferPointer { try writeLLMInput(projectedPatches, inputIDs, into: $0.baseAddress!) }
        return sequence
    }

    /// Checks the inputs of `llmInput` and returns its row count.
    private func llmInputRows(projectedPatches: [Float], inputIDs: [Int32]) throws -> Int {
        try check(projectedPatches.count, patchCount * config.llm.hidden, "projected patches")
        guard !inputIDs.isEmpty else { throw InferenceError.emptyTokenList }
        try LlamaModel.checkSequenceLength(patchCount + inputIDs.count)
        return patchCount + inputIDs.count
    }

    /// Writes the rows of `llmInput` (inputs already checked) into `base`.
    private func writeLLMInput(_ projectedPatches: [Float], _ inputIDs: [Int32], into base: UnsafeMutablePointer<Float>) throws {
        let d = config.llm.hidden
        try llm.embed(inputIDs[0 ..< 1], into: base)
        projectedPatches.withUnsafeBufferPointer { (base + d).update(from: $0.baseAddress!, count: $0.count) }
        try llm.embed(inputIDs[1...], into: base + (1 + patchCount) * d)
    }

    /// The cognition feature `[hidden]`: final-RMSNorm state of the last position after the
    /// causal prefill of `llmInput`. Positions are 0..<L; `layers` overrides the layer list.
    /// With a visual-token budget in `acceleration`, tokens are selected after the selection
    /// layer; `observer` is chained behind the selector.
    public func cognition(projectedPatches: [Float], inputIDs: [Int32], layers: [Int]? = nil,
                          observer: LlamaObserver? = nil) throws -> [Float] {
        try cognition(projectedPatches: projectedPatches, inputIDs: inputIDs, layers: layers, observer: observer, temporal: nil)
    }

    /// `cognition` with temporal reuse: the patches of `temporal` keep the cached keys/values of
    /// the previous prefill from its start layer on, and the cache is rewritten.
    func cognition(projectedPatches: [Float], inputIDs: [Int32], layers: [Int]? = nil, observer: LlamaObserver? = nil,
                   temporal: TemporalPrefill?) throws -> [Float] {
        let rows = try llmInputRows(projectedPatches: projectedPatches, inputIDs: inputIDs)
        let selector = tokenSelector(layers: layers, inner: observer)
        defer { lastKeptVisualTokens = selector?.lastSelection?.kept }
        let layersRun = (layers ?? llm.layerIndices).filter(llm.layerIndices.contains).count
        let reuse = temporal.map {
            PrefillReuse(cache: $0.cache, inputIDs: inputIDs, reusedRows: Set($0.patches.map { $0 + 1 }),
                         startPosition: $0.settings.startLayer, relevancePosition: $0.settings.relevancePosition(layersRun: layersRun),
                         selectionPosition: selector == nil ? nil : acceleration.selectionLayer, patches: patchCount)
        }
        // The input is written straight into the prefill's buffer: no intermediate sequence array.
        return try llm.prefill(rows: rows, positions: Array(0 ..< rows), layers: layers, observer: selector ?? observer, reuse: reuse) {
            try writeLLMInput(projectedPatches, inputIDs, into: $0)
        }
    }

    /// The selector for the active token budget, or nil when selection is off or the
    /// selection layer is the last layer that runs.
    private func tokenSelector(layers: [Int]?, inner: LlamaObserver?) -> VisualTokenSelector? {
        guard let budget = acceleration.activeBudget(patches: patchCount) else { return nil }
        let schedule = (layers ?? llm.layerIndices).filter(llm.layerIndices.contains)
        guard acceleration.selectionLayer < schedule.count - 1 else { return nil }
        return VisualTokenSelector(settings: acceleration, budget: budget, patches: patchCount,
                                   layer: schedule[acceleration.selectionLayer], heads: config.llm.heads, inner: inner)
    }

    /// Replaces the settings that act at run time (token selection, DiT cache) without
    /// reloading; throws `AccelerationError.loadTimeSettingChanged` if `settings` differ in
    /// what is loaded (dropped layers, MLP channels).
    public func updateRuntimeAcceleration(_ settings: AccelerationSettings) throws {
        try settings.validate(for: config)
        guard settings.droppedLayers == acceleration.droppedLayers else { throw AccelerationError.loadTimeSettingChanged("the dropped layer set") }
        guard settings.mlpChannels == acceleration.mlpChannels else { throw AccelerationError.loadTimeSettingChanged("the MLP channel plan") }
        acceleration = settings
    }

    /// Analytic FLOPs of one forward with this model's settings for `tokenCount` input ids.
    /// Layers not loaded (through `keepLLMLayers` or the settings) count as dropped.
    public func flopCount(tokenCount: Int) -> FLOPCount {
        var settings = acceleration
        settings.droppedLayers = Set(0 ..< config.llm.layers).subtracting(llm.layerIndices)
        return FLOPCount(config: config, tokenCount: tokenCount, ddimSteps: sampler.schedule.steps.count, cfgScale: cfgScale,
                         acceleration: settings)
    }

    /// FLOPs of the last forward as it ran: for the towers and the projector the patches the last
    /// encode computed, for the language model the rows each layer computed (both lowered by
    /// temporal reuse), analytic for the action head. `tokenCount` is the prompt's id count.
    public func lastForwardFLOPs(tokenCount: Int) -> FLOPCount {
        var count = flopCount(tokenCount: tokenCount)
        count.vision = FLOPCount.vision(config: config.vision, recomputedPatches: lastEncodedPatches)
        count.projector = FLOPCount.projector(config: config, rows: lastEncodedPatches)
        count.llm = FLOPCount.language(work: llm.lastWork, config: config.llm)
        return count
    }

    /// DDIM sampling from `noise` (`x_T`, `[horizon·actionDim]`) conditioned on `cognition`,
    /// with classifier-free guidance when the scale is above 1, and `inpainting` towards a previous
    /// chunk when given (real-time chunking).
    /// - Throws: `InferenceError` for inputs of the wrong size or an inpainting that does not fit.
    public func sampleActions(cognition: [Float], noise: [Float], inpainting: ActionInpainting? = nil) throws -> ActionSample {
        try check(cognition.count, config.llm.hidden, "cognition")
        try check(noise.count, actionCount, "noise")
        try inpainting?.validate(rows: config.action.horizon, dimension: config.action.actionDim)
        let guided = cfgScale > 1
        let conditions = actionHead.conditions(cognition: cognition, guided: guided)
        let batch = guided ? 2 : 1
        let cache = acceleration.cacheInterval > 1
            ? actionHead.makeCache(schedule: DiTCacheSchedule(interval: acceleration.cacheInterval), batch: batch) : nil
        var step = 0
        return sampler.sample(noise: noise, cfgScale: cfgScale, inpainting: inpainting) { x, t, eps in
            actionHead.predictNoise(x: x, timestep: t, conditions: conditions, batch: batch, into: eps, cache: cache, step: step)
            step += 1
        }
    }

    /// Clip, gripper threshold and un-normalise `sample` with the statistics of `unnormKey`.
    public func postprocess(sample: [Float], unnormKey: String) throws -> (normalized: [Float], actions: [Float]) {
        try check(sample.count, actionCount, "sample")
        return Unnormalizer(statistics: try statistics.action(for: unnormKey)).apply(sample)
    }

    /// Vision towers + projector, timing each into `timings.vision` and `timings.projector`.
    public func encodeImage(dino: [Float], siglip: [Float], timings: inout StageTimings) throws -> [Float] {
        let features: [Float], projected: [Float]
        (features, timings.vision) = try StageTimings.measure { try visionFeatures(dino: dino, siglip: siglip) }
        (projected, timings.projector) = try StageTimings.measure { try project(features: features) }
        return projected
    }

    /// Language model, action head and post-processing from projected patches, timing each stage
    /// on top of `timings` (which carries the vision and projector times, or zeros when reused).
    public func predict(projectedPatches: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String,
                        timings: StageTimings = StageTimings()) throws -> ActionPrediction {
        try predict(projectedPatches: projectedPatches, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey, timings: timings,
                    temporal: nil, inpainting: nil)
    }

    /// `predict` with temporal reuse in the language model (see `cognition(…temporal:)`) and action
    /// inpainting (see `sampleActions`).
    func predict(projectedPatches: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String,
                 timings: StageTimings, temporal: TemporalPrefill?, inpainting: ActionInpainting?) throws -> ActionPrediction {
        var timings = timings
        let statistics = try self.statistics.action(for: unnormKey)
        let cognition: [Float], sample: ActionSample
        (cognition, timings.llm) = try StageTimings.measure {
            try self.cognition(projectedPatches: projectedPatches, inputIDs: inputIDs, temporal: temporal)
        }
        (sample, timings.action) = try StageTimings.measure {
            try sampleActions(cognition: cognition, noise: noise, inpainting: inpainting)
        }
        let (post, postTime) = StageTimings.measure { Unnormalizer(statistics: statistics).apply(sample.final) }
        timings.post = postTime
        return ActionPrediction(actions: post.actions, normalizedActions: post.normalized, sample: sample.final,
                                cognition: cognition, timings: timings)
    }

    /// The whole pipeline, timing each stage.
    public func forward(pixelValuesDino: [Float], pixelValuesSiglip: [Float], inputIDs: [Int32],
                        noise: [Float], unnormKey: String) throws -> ActionPrediction {
        _ = try statistics.action(for: unnormKey)  // an unknown key fails before any work
        var timings = StageTimings()
        let projected = try encodeImage(dino: pixelValuesDino, siglip: pixelValuesSiglip, timings: &timings)
        return try predict(projectedPatches: projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey, timings: timings)
    }

    private func check(_ found: Int, _ expected: Int, _ name: String) throws {
        guard found == expected else { throw InferenceError.wrongInputSize(name: name, expected: expected, found: found) }
    }
}
