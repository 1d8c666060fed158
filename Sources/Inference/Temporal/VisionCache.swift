/// The vision stages' state for temporal reuse in the towers: each tower's `TowerCache` and the
/// projected patches of the last frame, so that a frame runs only some patches through the towers
/// and the projector. Made by `CogACTModel.makeVisionCache`.
final class VisionCache {
    /// The DINOv2 tower's keys/values and features.
    let dino: TowerCache
    /// The SigLIP tower's keys/values and features.
    let siglip: TowerCache
    /// `[patches, hidden]`: the projected patches of the last frame.
    var projected: [Float]

    init(dino: TowerCache, siglip: TowerCache, projectedCount: Int) {
        self.dino = dino
        self.siglip = siglip
        projected = [Float](repeating: 0, count: projectedCount)
    }

    /// Whether a whole frame has been encoded since the cache was made or cleared.
    var isFilled: Bool { dino.isFilled && siglip.isFilled }

    /// Forgets the cached frame: the next encode computes every patch.
    func clear() {
        dino.clear()
        siglip.clear()
    }
}
