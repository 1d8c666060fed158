/// The event counters of a running node.
public enum NodeCounter: String, CaseIterable, Sendable {
    /// Inferences that produced an accepted chunk.
    case inferences
    /// Inferences that threw (the node logs and continues).
    case inferenceFailures
    /// Chunks the scheduler refused (stale instruction, malformed).
    case chunksRejected
    /// Instructions accepted.
    case instructionsAccepted
    /// Instructions refused by validation.
    case instructionsRejected
    /// Control ticks run.
    case ticks
    /// Ticks that published an action message.
    case published
    /// Ticks where no valid chunk covered the tick, so nothing was published.
    case deadlineMisses
    /// Tick deadlines skipped because the control loop overran.
    case skippedTicks
    /// Sink errors while publishing actions or inference reports.
    case publishFailures
    /// Messages whose topic frame is none of the node's input topics (ZeroMQ matches prefixes).
    case unknownTopics
    /// Episode resets (`/vla/reset`, the service's `reset`).
    case episodeResets
    /// Frames dropped because they were observed before the latest episode reset.
    case framesBeforeReset
    /// Input connections that closed (a peer went away, or libzmq dropped a peer that broke the protocol).
    case disconnects
    /// Input connections the node re-made after libzmq gave up on them (`ConnectionWatcher`).
    case reconnects
    /// Messages the bag recorder dropped because its queue was full (`node.record.queue_mb`).
    case recorderDrops
}

/// A point-in-time copy of the counters.
public struct CounterSnapshot: Equatable, Sendable {
    /// Value of each counter (absent means 0).
    public var values: [NodeCounter: UInt64] = [:]
    /// Malformed (undecodable) messages per topic.
    public var malformedByTopic: [String: UInt64] = [:]

    /// The value of one counter.
    public subscript(counter: NodeCounter) -> UInt64 {
        values[counter, default: 0]
    }
}

/// Thread-safe counters shared by the ingress, inference and control threads.
public final class NodeCounters: @unchecked Sendable {
    private let state = Locked(CounterSnapshot())

    /// Creates counters at zero.
    public init() {}

    /// Adds `amount` to a counter.
    public func increment(_ counter: NodeCounter, by amount: UInt64 = 1) {
        state.withLock { $0.values[counter, default: 0] &+= amount }
    }

    /// Counts one malformed message on `topic`.
    public func recordMalformed(topic: String) {
        state.withLock { $0.malformedByTopic[topic, default: 0] &+= 1 }
    }

    /// A copy of every counter.
    public func snapshot() -> CounterSnapshot {
        state.withLock { $0 }
    }
}
