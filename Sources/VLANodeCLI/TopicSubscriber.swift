import ZMQ

/// A SUB socket for the command-line tools (`echo`, `record`): connected to one endpoint, subscribed
/// to the given topics, and waking every 100 ms so the caller can check for a stop signal.
/// Subscriptions are prefix filters: callers still match the topic frame exactly.
enum TopicSubscriber {
    /// How long a receive waits before the caller gets control back.
    static let pollInterval: Duration = .milliseconds(100)

    /// Opens the socket on `context`; the caller closes it.
    static func open(context: Context, endpoint: String, topics: some Sequence<String>) throws -> Socket {
        let socket = try context.makeSocket(.sub)
        try socket.setOption(.receiveTimeout, pollInterval)
        try socket.connect(endpoint)
        for topic in topics { try socket.subscribe(to: topic) }
        return socket
    }
}
