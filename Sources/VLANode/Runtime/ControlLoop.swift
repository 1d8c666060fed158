import Foundation
import Logging

/// The control thread: one step per tick of a drift-free `FixedRateTicker`.
///
/// Each step sleeps to the next absolute deadline, records the tick jitter, tells the `ActionSink` the
/// tick is being decided, asks the `ActionScheduler` for the tick's actions and publishes them through
/// the sink — or publishes nothing and counts a deadline miss — then ends the tick on the sink. Every
/// `summaryIntervalNanoseconds` it hands a `StatsSummary` to `onSummary` (the runtime logs `summary.line`).
/// Sink errors are counted and logged, never fatal.
public final class ControlLoop: @unchecked Sendable {
    private let ticker: FixedRateTicker
    private let scheduler: ActionScheduler
    private let statistics: NodeStatistics
    private let actions: ActionSink
    private let frames: LatestValueMailbox<ObservedFrame>
    private let onSummary: (StatsSummary) -> Void
    private let logger: Logger
    private let thread = LoopThread()
    private var summaryTrigger: PeriodicTrigger  // touched only by the thread running `step`

    /// Creates the loop. `frames` is read only for its counters in the summary.
    /// - Throws: `StatsError.invalidInterval` for a zero summary interval.
    public init(ticker: FixedRateTicker, scheduler: ActionScheduler, statistics: NodeStatistics, actions: ActionSink,
                frames: LatestValueMailbox<ObservedFrame>, summaryIntervalNanoseconds: UInt64,
                onSummary: @escaping (StatsSummary) -> Void, logger: Logger = Logger(label: "vla-node.control")) throws {
        self.ticker = ticker
        self.scheduler = scheduler
        self.statistics = statistics
        self.actions = actions
        self.frames = frames
        self.onSummary = onSummary
        self.logger = logger
        summaryTrigger = try PeriodicTrigger(intervalNanoseconds: summaryIntervalNanoseconds, start: ticker.start)
    }

    /// Waits for the next tick and handles it; returns the tick and what was decided.
    @discardableResult
    public func step() -> (tick: Tick, outcome: TickOutcome) {
        let tick = ticker.waitForNextTick()
        let counters = statistics.counters
        counters.increment(.ticks)
        if tick.skippedTicks > 0 {
            counters.increment(.skippedTicks, by: tick.skippedTicks)
            logger.warning("control loop overran: skipped \(tick.skippedTicks) tick(s)")
        }
        statistics.recordTickJitter(nanoseconds: tick.jitterNanoseconds)
        actions.tickDeciding(tick)
        let outcome = scheduler.outcome(at: tick.scheduled)
        switch outcome {
        case .publish(let scheduled):
            do {
                try actions.publish(scheduled)
                counters.increment(.published)
            } catch {
                counters.increment(.publishFailures)
                logger.warning("actions for tick \(tick.index) not published: \(error)")
            }
        case .deadlineMiss(let reason):
            counters.increment(.deadlineMisses)
            logger.trace("deadline miss at tick \(tick.index): \(reason)")
        }
        actions.tickEnded(tick, outcome: outcome)
        if summaryTrigger.isDue(at: tick.actual) { onSummary(statistics.summary(frames: frames.counts)) }
        return (tick, outcome)
    }

    /// The niceness the control thread asks for: ahead of the node's other threads and of ordinary
    /// processes, so a loaded CPU does not delay a tick's wake-up.
    static let niceness: Int32 = -10

    /// Starts the dedicated control thread (once), at niceness −10 when the system allows it.
    public func start() {
        thread.start(name: "vla-control", prepare: { [logger] in
            if !ThreadNiceness.set(Self.niceness) {
                logger.notice("control thread runs at normal priority (niceness \(Self.niceness) needs CAP_SYS_NICE): ticks may jitter on a loaded CPU")
            }
        }, step: { [self] in step() })
    }

    /// Asks the thread to stop after the current tick; waits up to `timeout` seconds. True if it stopped.
    @discardableResult
    public func stop(timeout: TimeInterval) -> Bool {
        thread.requestStop()
        return thread.waitUntilFinished(timeout: timeout)
    }
}
