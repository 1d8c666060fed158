/// One ViT tower's state after the last frame it encoded with a cache: every block's keys and
/// values for every token, and the tower's output feature of every patch. The next frame can then
/// run only some patches through the blocks (Eventful-Transformer style, arXiv 2308.13494): their
/// queries attend to the cached keys/values of the others, and the others keep their features.
///
/// Owns its buffers; `CachedKeyValues` pointers into them are used only while the tower runs.
final class TowerCache {
    /// Tokens of the sequence (prefix + patches).
    let tokenCount: Int
    /// The tower's width.
    let width: Int
    /// `[blocks][tokens, 2 · width]`: keys, then values, of every token.
    private let keyValues: UnsafeMutablePointer<Float>
    /// `[patches, width]`: the tower's output.
    let features: UnsafeMutablePointer<Float>
    /// Whether a whole frame has been encoded since the cache was made or cleared.
    private(set) var isFilled = false

    init(tokenCount: Int, patchCount: Int, width: Int, blockCount: Int) {
        self.tokenCount = tokenCount
        self.width = width
        keyValues = .allocate(capacity: blockCount * tokenCount * 2 * width)
        features = .allocate(capacity: patchCount * width)
    }

    deinit {
        keyValues.deallocate()
        features.deallocate()
    }

    /// Block `block`'s keys/values, for rows that are the tokens `rowTokens`.
    func keyValues(block: Int, rowTokens: [Int]) -> CachedKeyValues {
        CachedKeyValues(storage: keyValues + block * tokenCount * 2 * width, tokenCount: tokenCount, rowTokens: rowTokens)
    }

    /// Records that every token of a frame has been written.
    func markFilled() { isFilled = true }

    /// Forgets the cached frame.
    func clear() { isFilled = false }
}
