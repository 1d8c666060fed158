import Foundation

/// OpenBLAS reads its environment once, in the library constructor, before `main` runs; `setenv`
/// afterwards has no effect (measured: 0.05–0.08 CPU-s spent spinning per 1 s idle either way,
/// 0.003–0.007 with the variable set before start).
enum BLASEnvironment {
    /// The spin time of idle BLAS workers, log2 of TSC cycles (OpenBLAS clamps it to 4…30).
    static let threadTimeout = "4"

    /// If `OPENBLAS_THREAD_TIMEOUT` is unset, sets it and re-executes this program with the same
    /// arguments and process id, so OpenBLAS starts with it. Continues unchanged if exec fails.
    static func ensureThreadTimeout() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"] == nil else { return }
        setenv("OPENBLAS_THREAD_TIMEOUT", threadTimeout, 1)
        let arguments = CommandLine.arguments
        var pointers = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &pointers)
        for pointer in pointers { free(pointer) }
        printStatus("warning: could not re-execute with OPENBLAS_THREAD_TIMEOUT=\(threadTimeout); idle BLAS workers will spin")
    }
}
