/// One control tick: its place on the fixed grid and when the loop actually woke for it.
public struct Tick: Equatable, Sendable {
    /// The tick number n since the ticker started (ticks that were skipped still count).
    public let index: UInt64
    /// The deadline `start + n · period`, in monotonic nanoseconds. Publish with this time.
    public let scheduled: UInt64
    /// When the loop woke for this tick, in monotonic nanoseconds.
    public let actual: UInt64
    /// Deadlines that passed entirely without a tick since the previous tick (an overrun).
    public let skippedTicks: UInt64

    /// Tick jitter: actual − scheduled, in nanoseconds (positive when late).
    public var jitterNanoseconds: Int64 {
        Int64(bitPattern: actual &- scheduled)
    }
}

/// A drift-free fixed-rate ticker: deadlines are absolute (`start + n · period`), never "now + period",
/// so a late wake-up delays one tick but not the ones after it.
///
/// Overrun rule: when the loop returns later than one whole period past a deadline, the deadlines it
/// missed are skipped (counted in `Tick.skippedTicks`) and the most recent passed deadline is issued at
/// once; the grid itself never shifts. Not thread-safe: one control thread owns a ticker.
public final class FixedRateTicker {
    /// The tick period in nanoseconds.
    public let periodNanoseconds: UInt64
    /// The time of tick 0, in monotonic nanoseconds.
    public let start: UInt64
    private let clock: any MonotonicClock
    private var nextIndex: UInt64 = 0

    /// Creates a ticker whose tick 0 is at `start` (default: the clock's current time).
    /// - Throws: `ControlError.invalidPeriod` for a zero period.
    public init(periodNanoseconds: UInt64, clock: any MonotonicClock, start: UInt64? = nil) throws {
        guard periodNanoseconds > 0 else { throw ControlError.invalidPeriod(nanoseconds: periodNanoseconds) }
        self.periodNanoseconds = periodNanoseconds
        self.clock = clock
        self.start = start ?? clock.now()
    }

    /// Creates a ticker at `rateHz` ticks per second.
    /// - Throws: `ControlError.invalidRate` unless `rateRange` contains the rate.
    public convenience init(rateHz: Double, clock: any MonotonicClock, start: UInt64? = nil) throws {
        try self.init(periodNanoseconds: try Self.period(rateHz: rateHz), clock: clock, start: start)
    }

    /// The accepted rates in Hz: up to one tick per nanosecond, down to one tick per 1e9 s (~32
    /// years), so that the period and the deadlines of a running ticker fit in 64-bit nanoseconds.
    public static let rateRange: ClosedRange<Double> = 1e-9 ... 1e9

    /// The period in nanoseconds for a rate in Hz, rounded to the nearest nanosecond.
    /// - Throws: `ControlError.invalidRate` unless `rateRange` contains the rate.
    public static func period(rateHz: Double) throws -> UInt64 {
        guard rateRange.contains(rateHz) else { throw ControlError.invalidRate(rateHz) }
        return UInt64((1e9 / rateHz).rounded())
    }

    /// Sleeps until the next deadline and returns its tick.
    public func waitForNextTick() -> Tick {
        var index = nextIndex
        var skipped: UInt64 = 0
        let now = clock.now()
        if now >= start, now - start >= (index + 1) * periodNanoseconds {
            let latestPassed = (now - start) / periodNanoseconds
            skipped = latestPassed - index
            index = latestPassed
        }
        let scheduled = start + index * periodNanoseconds
        if now < scheduled { clock.sleep(until: scheduled) }
        nextIndex = index + 1
        return Tick(index: index, scheduled: scheduled, actual: clock.now(), skippedTicks: skipped)
    }
}

/// Invalid control-loop settings.
public enum ControlError: Error, Equatable, CustomStringConvertible {
    /// The control period must be positive.
    case invalidPeriod(nanoseconds: UInt64)
    /// The control rate must be within `FixedRateTicker.rateRange`.
    case invalidRate(Double)
    /// The adaptive-ensemble settings are invalid (α finite, horizon ≥ 1).
    case invalidEnsemble(alpha: Double, horizon: Int)
    /// The aggregation weight of the new chunk must be between 0 and 1.
    case invalidAggregationWeight(Double)

    public var description: String {
        switch self {
        case .invalidPeriod(let nanoseconds):
            return "control: the tick period must be positive, found \(nanoseconds) ns"
        case .invalidRate(let rate):
            return "control: the rate must be between 1e-9 and 1e9 Hz, found \(rate)"
        case .invalidEnsemble(let alpha, let horizon):
            return "control: ensemble needs a finite alpha and a horizon of at least 1, found alpha \(alpha), horizon \(horizon)"
        case .invalidAggregationWeight(let weight):
            return "control: aggregate needs a new_weight from 0 to 1, found \(weight)"
        }
    }
}
