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
        reset()
    }

    /// Forgets the cached frame (a new episode): the next inference recomputes everything.
    public func reset() {
        planner.reset()
        cache.clear()
    }

    /// The language model and action head over one frame: `resized` is the frame at the towers'
    /// input size and `projectedPatches` its projected vision features. With reuse off this is
    /// `CogACTModel.predict` and the report is nil. Any failure forgets the cached frame, so the
    /// cache and the reference pixels never disagree.
    public func predict(resized: RGBImage, projectedPatches: [Float], inputIDs: [Int32], noise: [Float], unnormKey: String,
                        timings: StageTimings = StageTimings(), inpainting: ActionInpainting? = nil) throws
        -> (ActionPrediction, TemporalReuseReport?) {
        guard settings.enabled else {
            return (try model.predict(projectedPatches: projectedPatches, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                      timings: timings, temporal: nil, inpainting: inpainting), nil)
        }
        let decision = planner.decide(frame: resized, inputIDs: inputIDs, relevance: cache.relevance, settings: settings)
        do {
            let prediction = try model.predict(projectedPatches: projectedPatches, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                               timings: timings,
                                               temporal: TemporalPrefill(cache: cache, patches: decision.reusablePatches, settings: settings),
                                               inpainting: inpainting)
            let reused = Set(cache.reusedRows.map { $0 - 1 })
            planner.commit(decision, reused: reused, frame: resized, inputIDs: inputIDs)
            return (prediction, TemporalReuseReport(reused: reused.count, recomputed: model.patchCount - reused.count,
                                                    staticPatches: decision.staticPatches, refresh: decision.refresh))
        } catch {
            reset()
            throw error
        }
    }
}
