import Bag

extension RecordCompression {
    /// The MCAP writer's setting for this choice (`none` is MCAP's empty compression name).
    public var mcapCompression: MCAPCompression {
        switch self {
        case .none: return .none
        case .zstd: return .zstd
        case .lz4: return .lz4
        }
    }
}
