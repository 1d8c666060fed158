/// When each recorded message is due during replay: the recorded spacing of log times divided by the
/// playback rate, counted from the first message.
public struct ReplayClock: Sendable {
    /// Why a rate was rejected.
    public struct InvalidRate: Error, Equatable, CustomStringConvertible {
        /// The rejected value.
        public let rate: Double
        /// A message telling the user which values work.
        public var description: String { "replay rate \(rate) is invalid: use a finite number > 0 (1 = recorded speed)" }
    }

    /// Playback speed: 2 plays twice as fast as recorded.
    public let rate: Double

    /// A clock for `rate`, which must be finite and positive.
    public init(rate: Double) throws {
        guard rate.isFinite, rate > 0 else { throw InvalidRate(rate: rate) }
        self.rate = rate
    }

    /// Seconds after the start of playback at which a message logged at `logTime` is due, when the
    /// first message was logged at `firstLogTime` (earlier messages are due at once).
    public func offset(of logTime: UInt64, firstLogTime: UInt64) -> Double {
        guard logTime > firstLogTime else { return 0 }
        return Double(logTime - firstLogTime) / 1e9 / rate
    }
}
