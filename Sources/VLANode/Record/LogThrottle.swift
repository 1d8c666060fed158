/// Thins out a repeated warning: the first `loud` occurrences are logged at warning level, then only
/// every `every`-th one (the rest at debug level), so a flood of bad input cannot flood the log.
struct LogThrottle: Sendable {
    /// Occurrences logged loudly before thinning starts.
    let loud: Int
    /// After that, one loud occurrence per this many.
    let every: Int
    /// Occurrences so far.
    private(set) var count = 0

    /// Creates a throttle (defaults: 20 loud, then every 100th).
    init(loud: Int = 20, every: Int = 100) {
        self.loud = loud
        self.every = every
    }

    /// Counts one occurrence; true if it should be logged at warning level.
    mutating func next() -> Bool {
        count += 1
        return count <= loud || count % every == 0
    }
}
