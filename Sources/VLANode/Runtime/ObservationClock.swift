/// Decides which wall-clock time a frame was observed at, for the end-to-end latency.
///
/// A live camera stamps frames with the current time, so `header.stamp` is the acquisition time. A
/// replayed bag keeps its recording-time stamps, and a driver may leave them at zero; then the end-to-end
/// latency would measure the age of the recording. Stamps more than `tolerance` away from the receive
/// time (in either direction) are therefore not trusted and the receive time is used instead.
public struct ObservationClock: Equatable, Sendable {
    /// The largest accepted |receive time − stamp|, in nanoseconds (default 10 s).
    public let toleranceNanoseconds: Int64

    /// Creates the rule with a tolerance in nanoseconds.
    public init(toleranceNanoseconds: Int64 = 10_000_000_000) {
        self.toleranceNanoseconds = toleranceNanoseconds
    }

    /// The observation time in nanoseconds since the epoch, and whether it is the frame's own stamp.
    public func observationTime(stamp: Int64?, receivedWall: Int64) -> (nanoseconds: Int64, fromStamp: Bool) {
        guard let stamp, stamp > 0 else { return (receivedWall, false) }
        let (difference, overflow) = receivedWall.subtractingReportingOverflow(stamp)
        guard !overflow, difference.magnitude <= UInt64(toleranceNanoseconds) else { return (receivedWall, false) }
        return (stamp, true)
    }
}
