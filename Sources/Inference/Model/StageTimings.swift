#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock milliseconds spent in each stage of one prediction.
public struct StageTimings: Sendable, Equatable {
    /// Both ViT towers.
    public var vision: Double = 0
    /// Fused MLP projector.
    public var projector: Double = 0
    /// LLaMA prefill up to the cognition feature.
    public var llm: Double = 0
    /// DiT + DDIM sampling.
    public var action: Double = 0
    /// Clipping and un-normalisation.
    public var post: Double = 0

    /// All stages at zero.
    public init() {}

    /// Sum of all stages.
    public var total: Double { vision + projector + llm + action + post }

    /// Runs `body` and returns its result and its duration in milliseconds (monotonic clock).
    public static func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = monotonicNanoseconds()
        let result = try body()
        return (result, Double(monotonicNanoseconds() - start) / 1e6)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
