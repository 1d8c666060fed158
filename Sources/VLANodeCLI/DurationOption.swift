import ArgumentParser
import Foundation

/// `--duration`, shared by the commands that otherwise run until SIGINT/SIGTERM (`run`, `echo`).
struct DurationOption: ParsableArguments {
    @Option(help: "Stop after this many seconds (default: run until SIGINT/SIGTERM).")
    var duration: Double?

    func validate() throws {
        if let duration, !(duration.isFinite && duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
    }

    /// When to stop, counted from now; nil without `--duration`.
    func deadline() -> Deadline {
        Deadline(end: duration.map { Date(timeIntervalSinceNow: $0) })
    }

    /// The end of a `--duration` run.
    struct Deadline {
        /// The time to stop at, or nil for no limit.
        let end: Date?

        /// Whether the time is up.
        var hasPassed: Bool { end.map { Date() >= $0 } ?? false }
    }
}
