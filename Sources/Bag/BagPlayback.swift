/// Messages of a bag in playback order, for replay.
public enum BagPlayback {
    /// Calls `body` with each message on `topics` (nil = all): in log-time order through the summary
    /// when the bag has one, otherwise in file order by scanning (unfinished bags). `body` returns false
    /// to stop early.
    public static func forEachMessage(input: MCAPInput, topics: Set<String>?,
                                      _ body: (MCAPMessage) throws -> Bool) throws {
        let indexed: MCAPIndexedReader
        do {
            indexed = try MCAPIndexedReader(input: input)
        } catch MCAPError.missingSummary {
            var reader = try MCAPStreamReader(input: input)
            while let message = try reader.next() {
                if let topics, !topics.contains(message.topic) { continue }
                guard try body(message) else { return }
            }
            return
        }
        struct Stop: Error {}
        do {
            try indexed.forEachMessage(topics: topics) { message in
                guard try body(message) else { throw Stop() }
            }
        } catch is Stop {
            return
        }
    }
}
