/// Deterministic pseudo-random weights for any requested name and shape (benchmarks).
///
/// Each tensor is seeded from its name, so the values do not depend on load order. Norm
/// weights and LayerScale are 1, biases small, matrices uniform in ±1/√fan_in, which keeps
/// activations finite through deep stacks.
public struct RandomWeights: WeightSource {
    /// Mixed into every tensor's name hash.
    public let seed: UInt64

    /// A source whose values are a pure function of `seed` and the tensor name.
    public init(seed: UInt64 = 0) { self.seed = seed }

    public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        let count = shape.reduce(1, *)
        if name.hasSuffix("norm.weight") || name.hasSuffix(".gamma") {
            destination.initialize(repeating: 1, count: count)
            return
        }
        let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : shape.last ?? 1
        let scale = name.hasSuffix(".bias") ? 0.01 : 1 / Float(max(fanIn, 1)).squareRoot()
        var state = seed ^ Self.fnv1a(name)
        for i in 0 ..< count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let unit = Float(z >> 40) * (1 / Float(1 << 24))
            destination[i] = (2 * unit - 1) * scale
        }
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
