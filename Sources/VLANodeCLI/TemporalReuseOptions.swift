import ArgumentParser
import Inference

/// Temporal-reuse switches shared by `predict --previous-image` and `bench --frames`; the defaults
/// are `TemporalReuseSettings`' (VLA-Cache's). See docs/temporal-reuse.md.
struct TemporalReuseOptions: ParsableArguments {
    @Option(name: .customLong("reuse-measure"), help: "Patch comparison: cosine (raw RGB, VLA-Cache) or mean-absolute (8-bit levels).")
    var measure: TemporalReuseSettings.Measure = .cosine

    @Option(name: .customLong("reuse-threshold"),
            help: "Static when the cosine exceeds it (default 0.996) or the mean difference is below it (default 2 levels).")
    var threshold: Double?

    @Option(name: .customLong("max-reused-share"), help: "At most this share of the patches is reused, the most similar first.")
    var maxReusedShare: Double = TemporalReuseSettings.off.maxReusedShare

    @Option(name: .customLong("relevant-share"), help: "This share of the patches, the most attended by the text, is always recomputed.")
    var relevantShare: Double = TemporalReuseSettings.off.relevantShare

    @Option(name: .customLong("relevance-layer"), help: "Position among the layers that run whose attention scores relevance (default: the middle one).")
    var relevanceLayer: Int?

    @Option(name: .customLong("reuse-start-layer"), help: "Position among the layers that run from which reused patches are not recomputed.")
    var startLayer: Int = TemporalReuseSettings.off.startLayer

    @Option(name: .customLong("refresh-interval"), help: "A full refresh every this many inferences.")
    var refreshInterval: Int = TemporalReuseSettings.off.refreshInterval

    @Option(name: .customLong("max-changed-share"), help: "More than this share of changed patches recomputes the whole frame.")
    var maxChangedShare: Double = TemporalReuseSettings.off.maxChangedShare

    @Flag(name: .customLong("reuse-vision-towers"),
          help: "Reused patches also keep their vision-tower features: only the others run through the towers and the projector.")
    var visionTowers = false

    /// The settings, enabled (the model-dependent ranges are checked when the policy takes them).
    var settings: TemporalReuseSettings {
        TemporalReuseSettings(enabled: true, measure: measure, threshold: threshold ?? TemporalReuseSettings.defaultThreshold(measure),
                              maxReusedShare: maxReusedShare, relevantShare: relevantShare, relevanceLayer: relevanceLayer,
                              startLayer: startLayer, refreshInterval: refreshInterval, maxChangedShare: maxChangedShare,
                              visionTowers: visionTowers)
    }
}

extension TemporalReuseSettings.Measure: ExpressibleByArgument {}
