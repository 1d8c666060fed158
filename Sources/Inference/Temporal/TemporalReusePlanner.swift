import Imaging

/// Why an inference recomputed every visual token.
public enum FullRefreshReason: String, Sendable, Equatable, CaseIterable {
    /// No cached inference yet (the first frame, or the first after a reset or an error).
    case firstFrame = "first-frame"
    /// The instruction (the prompt's token ids) changed.
    case newInstruction = "new-instruction"
    /// `refreshInterval` inferences since the last full one.
    case periodic
    /// More than `maxChangedShare` of the patches changed.
    case sceneChange = "scene-change"
}

/// What temporal reuse decided for one frame.
public struct TemporalReuseDecision: Sendable, Equatable {
    /// Patches (0-based visual-token indices, ascending) allowed to keep their cached keys/values.
    public let reusablePatches: [Int]
    /// Patches that passed the static test.
    public let staticPatches: Int
    /// Set when the whole frame is recomputed.
    public let refresh: FullRefreshReason?
}

/// Decides, frame by frame, which patches may reuse the previous inference's language-model
/// keys/values: static against the pixels those keys/values were computed from, within the
/// reuse cap, and not among the patches the text attended to most. It also runs the safety valves
/// (first frame, new instruction, periodic refresh, whole-scene change).
///
/// A patch is compared with the frame its cached entries came from: the previous frame for a patch
/// recomputed last time, an older one for a patch that was reused. Slow drift therefore adds up
/// until it crosses the threshold instead of passing unnoticed frame after frame.
final class TemporalReusePlanner {
    let patchSize: Int
    private var reference: [UInt8]?
    private var side = 0
    private var inputIDs: [Int32] = []
    private var sinceRefresh = 0

    init(patchSize: Int) {
        self.patchSize = patchSize
    }

    /// Forgets the cached frame: the next decision is a full refresh.
    func reset() { reference = nil }

    /// The decision for `frame` (the resized frame the towers see) with prompt `inputIDs`, given the
    /// previous inference's text→patch `relevance` (one score per patch, nil for a patch the
    /// relevance layer did not see; empty when unknown). The relevant share counts the patches the
    /// relevance layer saw: all of them before token selection, the kept ones after it.
    func decide(frame: RGBImage, inputIDs: [Int32], relevance: [Double?], settings: TemporalReuseSettings) -> TemporalReuseDecision {
        func refresh(_ reason: FullRefreshReason, staticPatches: Int = 0) -> TemporalReuseDecision {
            TemporalReuseDecision(reusablePatches: [], staticPatches: staticPatches, refresh: reason)
        }
        guard let reference, side == frame.width else { return refresh(.firstFrame) }
        guard inputIDs == self.inputIDs else { return refresh(.newInstruction) }
        guard sinceRefresh + 1 < settings.refreshInterval else { return refresh(.periodic) }
        let scores = PatchSimilarity.scores(frame, reference, patchSize: patchSize, measure: settings.measure)
        let staticPatches = scores.indices.filter { PatchSimilarity.isStatic(scores[$0], measure: settings.measure, threshold: settings.threshold) }
        let patches = scores.count
        guard Double(patches - staticPatches.count) <= settings.maxChangedShare * Double(patches) else {
            return refresh(.sceneChange, staticPatches: staticPatches.count)
        }
        let mostSimilarFirst = staticPatches.sorted {
            settings.measure == .cosine ? (scores[$0], $1) > (scores[$1], $0) : (scores[$0], $0) < (scores[$1], $1)
        }
        let capped = mostSimilarFirst.prefix(Int(settings.maxReusedShare * Double(patches)))
        var relevant = Set<Int>()
        if relevance.count == patches {
            let seen = relevance.indices.compactMap { index in relevance[index].map { (index, $0) } }
            let count = Int((settings.relevantShare * Double(seen.count)).rounded(.up))
            relevant = Set(seen.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(count).map(\.0))
        }
        return TemporalReuseDecision(reusablePatches: capped.filter { !relevant.contains($0) }.sorted(),
                                     staticPatches: staticPatches.count, refresh: nil)
    }

    /// Records that the inference for `frame` ran under `decision` and reused exactly `reused`
    /// patches: every other patch's reference becomes this frame.
    func commit(_ decision: TemporalReuseDecision, reused: Set<Int>, frame: RGBImage, inputIDs: [Int32]) {
        guard decision.refresh == nil, var pixels = reference else {
            reference = frame.pixels
            side = frame.width
            self.inputIDs = inputIDs
            sinceRefresh = 0
            return
        }
        let patches = (frame.width / patchSize) * (frame.width / patchSize)
        PatchSimilarity.copy((0 ..< patches).filter { !reused.contains($0) }, from: frame, into: &pixels, patchSize: patchSize)
        reference = pixels
        sinceRefresh += 1
    }
}
