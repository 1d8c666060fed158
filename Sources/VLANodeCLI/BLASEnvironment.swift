import Foundation
import Inference

/// OpenBLAS reads its environment once, in the library constructor, before `main` runs; `setenv`
/// afterwards has no effect (measured: 0.05–0.08 CPU-s spent spinning per 1 s idle either way,
/// 0.003–0.007 with the variable set before start). So the commands that compute set what they
/// need and re-execute themselves, with the same arguments and process id.
enum BLASEnvironment {
    /// The spin time of idle BLAS workers, log2 of TSC cycles (OpenBLAS clamps it to 4…30).
    static let threadTimeout = "4"

    /// Re-executes this program, once, with
    /// - `OPENBLAS_CORETYPE`, when OpenBLAS fell back to kernels older than the CPU's feature flags
    ///   allow (`BLASKernelChoice`), for every command that computes;
    /// - `OPENBLAS_THREAD_TIMEOUT`, when `idleWorkersSleep` (the long-running node), so idle BLAS
    ///   workers sleep instead of spinning.
    /// A variable the user set is kept. Continues unchanged if exec fails.
    static func prepare(idleWorkersSleep: Bool = false) {
        let environment = ProcessInfo.processInfo.environment
        var changes: [(name: String, value: String)] = []
        let detected = BLASInfo.current.coreName
        if environment["OPENBLAS_CORETYPE"] == nil,
           let core = BLASKernelChoice.override(detectedCore: detected, cpuFlags: BLASKernelChoice.machineFlags) {
            printStatus("OpenBLAS chose \(detected) kernels, older than this CPU's features; using OPENBLAS_CORETYPE=\(core)")
            changes.append(("OPENBLAS_CORETYPE", core))
        }
        if idleWorkersSleep && environment["OPENBLAS_THREAD_TIMEOUT"] == nil {
            changes.append(("OPENBLAS_THREAD_TIMEOUT", threadTimeout))
        }
        guard !changes.isEmpty else { return }
        for change in changes { setenv(change.name, change.value, 1) }
        var pointers = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &pointers)
        for pointer in pointers { free(pointer) }
        let names = changes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        printStatus("warning: could not re-execute with \(names); set them before starting vla-node")
    }
}
