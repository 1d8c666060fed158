/// Where the control loop sends the actions of a tick. The runtime encodes a `vla_msgs/ActionChunk`
/// (stamp = the tick time mapped to wall-clock with `WallClockAnchor`) and sends it on the action
/// topic, and records it to the bag if enabled.
public protocol ActionSink: AnyObject {
    /// Called on the control thread once the tick has come, right before its outcome is decided.
    func tickDeciding(_ tick: Tick)

    /// Publishes one tick's actions. A thrown error is logged and counted; the loop continues.
    func publish(_ actions: ScheduledActions) throws

    /// Called at the end of every tick, after `publish` or a deadline miss, on the control thread.
    func tickEnded(_ tick: Tick, outcome: TickOutcome)
}

extension ActionSink {
    /// Does nothing: sinks that only publish need no start-of-tick work.
    public func tickDeciding(_ tick: Tick) {}

    /// Does nothing: sinks that only publish need no end-of-tick work.
    public func tickEnded(_ tick: Tick, outcome: TickOutcome) {}
}

/// Where the inference loop reports each inference. The runtime encodes a
/// `vla_msgs/InferenceLatency` and sends it on the latency topic.
public protocol InferenceReportSink: AnyObject {
    /// Publishes one inference report. A thrown error is logged and counted; the loop continues.
    func publish(_ report: InferenceReport) throws
}
