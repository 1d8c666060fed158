/// Loads MLP matrices with only the kept intermediate channels (EfficientVLA MLP width
/// pruning): pruned channels are never copied into resident weights. The full matrix passes
/// through one temporary buffer per tensor, freed before the next one is read.
///
/// The temporary `Tensor` is a local whose last use is reading `data`; Swift may release an object
/// after its last use, so the copies run inside `withExtendedLifetime` to keep the buffer allocated.
enum ChannelSlicing {
    /// Reads `name` `[channels, inFeatures]` and writes rows `keep` (in order) to `destination`.
    static func readRows(_ source: WeightSource, _ name: String, channels: Int, inFeatures: Int, keep: [Int],
                         into destination: UnsafeMutablePointer<Float>) throws {
        let full = try source.tensor(name, shape: [channels, inFeatures])
        withExtendedLifetime(full) {
            for (target, row) in keep.enumerated() {
                (destination + target * inFeatures).update(from: full.data + row * inFeatures, count: inFeatures)
            }
        }
    }

    /// Reads `name` `[outFeatures, channels]` and returns its columns `keep` as `[outFeatures, keep.count]`.
    static func readColumns(_ source: WeightSource, _ name: String, outFeatures: Int, channels: Int, keep: [Int]) throws -> Tensor {
        let full = try source.tensor(name, shape: [outFeatures, channels])
        let sliced = Tensor(uninitializedShape: [outFeatures, keep.count])
        withExtendedLifetime(full) {
            for o in 0 ..< outFeatures {
                let from = full.data + o * channels, to = sliced.data + o * keep.count
                for (target, column) in keep.enumerated() { to[target] = from[column] }
            }
        }
        return sliced
    }
}
