import Imaging

/// Temporal reuse over one camera stream: decides per frame which patches keep the previous
/// inference's language-model keys/values (`TemporalReusePlanner`), runs the model with them and
/// keeps the cache and the reference pixels in step. `CogACTPolicy` drives one; a benchmark can
/// drive one directly over a model.
///
/// Thread safety: like the model, one thread at a time.
public final class TemporalReuseSession {
    /// The engine.
    public let model: CogACTModel
    /// The settings in force (default off).
    public private(set) var settings = TemporalReuseSettings.off
    private let planner: TemporalReusePlanner
    /// The language model's keys/values of the previous inference (read by tests).
    let cache: PrefillCache
    /// The towers' keys/values and the projected patches, when reuse runs in the towers too.
    private var vision: VisionCache?

    /// A session over `model`, with reuse off.
    public init(model: CogACTModel) {
        self.model = model
        planner = TemporalReusePlanner(patchSize: model.config.vision.patchSize)
        let llm = model.config.llm
        cache = PrefillCache(kvWidth: llm.kvHeads * llm.headDim, hidden: llm.hidden)
    }

    /// Replaces the settings after checking them against the model (throws `TemporalReuseError`);
    /// the next inference is a full refresh.
    public func configure(_ settings: TemporalReuseSettings) throws {
        try settings.validate(layersRun: model.llm.layerIndices.count)
        self.settings = settings
        vision = settings.enabled && settings.visionTowers ? vision ?? model.makeVisionCache() : nil
        reset()
    }

    /// Whether reuse also runs in the vision towers (then every frame must be encoded through
    /// `predict(resized:dino:siglip:…)`, so that the towers' cache follows the frames).
    public var reusesTowers: Bool { vision != nil }

    /// Forgets the cached frame (a new episode): the next inference recomputes everything.
    public func reset() {
        planner.reset()
        cache.clear()
        vision?.clear()
    }

    /// The language model and action head over one frame: `resized` is the frame at the towers'
    /// input size and `projectedPatches` its projected vision features. With reuse off this is
    /// `CogACTModel.predict` and the report is nil. Any failure forgets the cached frame, so the
    /// cache and the reference pixels never disagree. Not for a session that `reusesTowers`.
    public func predict(resized: RGBImage, projectedPatches: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String,
                        timings: StageTimings = StageTimings(), inpainting: ActionInpainting? = nil) throws
        -> (ActionPrediction, TemporalReuseReport?) {
        let (prediction, report, _) = try run(resized: resized, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                              timings: timings, inpainting: inpainting) { _, _ in (projectedPatches, []) }
        return (prediction, report)
    }

    /// The whole model over one frame: `resized` is the frame at the towers' input size, `dino` and
    /// `siglip` its normalised pixels (`CogACTModel.preparePixels`). When the session `reusesTowers`,
    /// only the patches the language model does not reuse run through the towers and the projector;
    /// otherwise they encode the whole frame. Also returns the projected patches.
    public func predict(resized: RGBImage, dino: [Float], siglip: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String,
                        timings: StageTimings = StageTimings(), inpainting: ActionInpainting? = nil) throws
        -> (ActionPrediction, TemporalReuseReport?, projected: [Float]) {
        try run(resized: resized, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey, timings: timings, inpainting: inpainting) {
            recompute, timings in
            guard let vision else { return (try model.encodeImage(dino: dino, siglip: siglip, timings: &timings), []) }
            let (projected, recomputed) = try model.encodeImage(dino: dino, siglip: siglip, timings: &timings, cache: vision, recompute: recompute)
            return (projected, Set(0 ..< model.patchCount).subtracting(recomputed))
        }
    }

    /// Decides the reuse for `resized`, gets the projected patches from `encode` (given the patches
    /// to recompute in the towers, nil for all; it returns the patches that kept older tower features)
    /// and runs the language model and the action head.
    private func run(resized: RGBImage, inputIDs: [Int32], noise: [Float], unnormKey: String, timings: StageTimings,
                     inpainting: ActionInpainting?, encode: ([Int]?, inout StageTimings) throws -> (projected: [Float], kept: Set<Int>)) throws
        -> (ActionPrediction, TemporalReuseReport?, projected: [Float]) {
        var timings = timings
        guard settings.enabled else {
            let projected = try encode(nil, &timings).projected
            return (try model.predict(projectedPatches: projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                      timings: timings, temporal: nil, inpainting: inpainting), nil, projected)
        }
        let decision = planner.decide(frame: resized, inputIDs: inputIDs, relevance: cache.relevance, settings: settings)
        do {
            let reusable = Set(decision.reusablePatches)
            let (projected, keptInTowers) = try encode(decision.refresh == nil ? (0 ..< model.patchCount).filter { !reusable.contains($0) } : nil,
                                                       &timings)
            let prediction = try model.predict(projectedPatches: projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                               timings: timings,
                                               temporal: TemporalPrefill(cache: cache, patches: decision.reusablePatches, settings: settings),
                                               inpainting: inpainting)
            let reused = Set(cache.reusedRows.map { $0 - 1 })
            // A patch kept in the towers still carries an older frame, even where the language model recomputed it.
            planner.commit(decision, reused: reused.union(keptInTowers), frame: resized, inputIDs: inputIDs)
            return (prediction, TemporalReuseReport(reused: reused.count, recomputed: model.patchCount - reused.count,
                                                    staticPatches: decision.staticPatches, refresh: decision.refresh,
                                                    reusedInTowers: keptInTowers.count), projected)
        } catch {
            reset()
            throw error
        }
    }
}
