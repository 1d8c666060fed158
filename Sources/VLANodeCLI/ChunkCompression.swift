import ArgumentParser
import Bag

/// `record --compression`: how MCAP chunks are compressed.
enum ChunkCompression: String, ExpressibleByArgument, CaseIterable {
    case none, zstd, lz4

    /// The writer's setting (`none` is MCAP's empty compression name).
    var mcap: MCAPCompression {
        switch self {
        case .none: return .none
        case .zstd: return .zstd
        case .lz4: return .lz4
        }
    }
}
