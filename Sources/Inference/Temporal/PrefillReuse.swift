/// Temporal reuse for one LLaMA prefill: which rows keep their cached keys/values, and from which
/// layer. Layer positions count the layers that run, as `AccelerationSettings.selectionLayer` does.
struct PrefillReuse {
    /// Read for the reused rows and rewritten for the next prefill.
    let cache: PrefillCache
    /// The prompt's token ids (part of the cache identity).
    let inputIDs: [Int32]
    /// Input-sequence rows (visual tokens, 1...patches) whose cached entries replace recomputation;
    /// empty for a full refresh, which only rewrites the cache.
    let reusedRows: Set<Int>
    /// Position from which reused rows are not recomputed (earlier layers compute every row).
    let startPosition: Int
    /// Position whose text→patch attention is kept as the next frame's relevance (nil: none).
    let relevancePosition: Int?
    /// Position after which token selection runs (nil: selection off).
    let selectionPosition: Int?
    /// Visual tokens in the input sequence (rows 1...patches).
    let patches: Int
}
