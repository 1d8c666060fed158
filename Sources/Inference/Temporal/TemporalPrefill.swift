/// What a policy hands the model for one prefill under temporal reuse.
struct TemporalPrefill {
    /// The previous prefill's keys/values, rewritten by this one.
    let cache: PrefillCache
    /// Patches (0-based visual-token indices) allowed to keep their cached keys/values.
    let patches: [Int]
    /// The layers at which reuse starts and relevance is read.
    let settings: TemporalReuseSettings
}
