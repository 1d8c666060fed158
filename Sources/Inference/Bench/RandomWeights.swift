import Dispatch

/// Deterministic pseudo-random weights for any requested name and shape (benchmarks).
///
/// Each tensor is seeded from its name, so the values do not depend on load order. Norm
/// weights and LayerScale are 1, biases small, matrices uniform in ±1/√fan_in, which keeps
/// activations finite through deep stacks. Element `i` of a tensor depends only on the seed,
/// the name and `i`, so large matrices are generated on all cores.
///
/// With a 16-bit `dtype`, matrices are generated directly in that type (a CogACT-Base model
/// never exists in F32) and `read` returns the same rounded values widened to F32.
public struct RandomWeights: WeightSource {
    /// Mixed into every tensor's name hash.
    public let seed: UInt64
    /// Element type of the matrices `matrix` returns.
    public let dtype: WeightDType

    /// A source whose values are a pure function of `seed`, `dtype` and the tensor name.
    public init(seed: UInt64 = 0, dtype: WeightDType = .f32) {
        self.seed = seed
        self.dtype = dtype
    }

    public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        generate(name, shape: shape) { start, values in
            for (i, value) in values.enumerated() { destination[start + i] = dtype.rounded(value) }
        }
    }

    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        let rows = shape.first ?? 1, columns = shape.dropFirst().reduce(1, *)
        let bytes = WeightBytes(allocating: rows * columns * dtype.size) { memory in
            generate(name, shape: shape) { start, values in
                switch dtype {
                case .f32:
                    (memory.baseAddress! + 4 * start).copyMemory(from: values.baseAddress!, byteCount: 4 * values.count)
                case .bf16, .f16:
                    let halves = (memory.baseAddress! + 2 * start).bindMemory(to: UInt16.self, capacity: values.count)
                    for (i, value) in values.enumerated() {
                        halves[i] = dtype == .bf16 ? WeightDType.bf16Bits(value) : Float16(value).bitPattern
                    }
                }
            }
        }
        return StoredMatrix(bytes: bytes, dtype: dtype, rows: rows, columns: columns)
    }

    /// Elements generated per block; blocks are spread over the cores.
    private static let blockElements = 1 << 20

    /// Calls `emit(start, values)` with consecutive blocks of the tensor's F32 values (before
    /// rounding to `dtype`, which each caller does once); blocks may arrive concurrently and in any order.
    private func generate(_ name: String, shape: [Int], emit: (Int, UnsafeBufferPointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        let isOne = name.hasSuffix("norm.weight") || name.hasSuffix(".gamma")
        let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : shape.last ?? 1
        let scale = name.hasSuffix(".bias") ? 0.01 : 1 / Float(max(fanIn, 1)).squareRoot()
        let origin = seed ^ Self.fnv1a(name)
        let blocks = (count + Self.blockElements - 1) / Self.blockElements
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let start = block * Self.blockElements, length = min(Self.blockElements, count - start)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { values in
                for i in 0 ..< length {
                    values[i] = isOne ? 1 : (2 * Self.unit(origin, index: start + i) - 1) * scale
                }
                emit(start, UnsafeBufferPointer(values))
            }
        }
    }

    /// A uniform value in [0, 1) for element `index` (SplitMix64 of the per-element counter).
    private static func unit(_ origin: UInt64, index: Int) -> Float {
        var z = origin &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * (1 / Float(1 << 24))
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
