#if canImport(Glibc)
import Glibc
#endif

/// The scheduling niceness of the calling thread (Linux keeps it per thread): the node lowers the bag
/// writer's priority and raises the control thread's, so CPU-hungry background work (compression)
/// and other processes on a loaded machine do not delay a tick's wake-up.
enum ThreadNiceness {
    /// Sets the calling thread's niceness (−20 … 19; lower runs first). Raising it always works; going
    /// below 0 needs `CAP_SYS_NICE` (root). Returns false when the system refused.
    @discardableResult
    static func set(_ niceness: Int32) -> Bool {
        #if os(Linux)
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) == 0
        #else
        return false
        #endif
    }

    /// The calling thread's niceness.
    static var current: Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }
}
