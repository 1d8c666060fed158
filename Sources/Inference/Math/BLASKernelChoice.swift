import Foundation

/// Which OpenBLAS kernel family to force when its run-time CPU detection falls back to an old one.
///
/// OpenBLAS built with DYNAMIC_ARCH picks its kernels from the CPUID vendor, family and model. On
/// a virtual CPU that hides them (KVM's "Intel(R) Xeon(R) Processor" seen here) OpenBLAS 0.3.21
/// chose `Prescott`, SSE3 kernels, on a CPU with AVX-512: one `predict` of the MetaWorld policy
/// took 148 ms instead of 74 ms. The feature flags the kernel reports are still right, so they
/// decide: when the detected family is one without AVX2 but the flags have AVX2 + FMA or AVX-512,
/// the family those flags support is forced through `OPENBLAS_CORETYPE` (read by OpenBLAS only
/// at start-up, so the caller re-executes the program). A family OpenBLAS chose itself from a
/// recognised CPU is never replaced.
public enum BLASKernelChoice {
    /// OpenBLAS x86 core names without AVX2 kernels (`openblas_get_corename`, lower-cased).
    static let fallbackCores: Set<String> = ["katmai", "coppermine", "northwood", "prescott", "banias", "atom",
                                             "core2", "penryn", "dunnington", "nehalem", "sandybridge",
                                             "opteron", "barcelona", "bobcat", "bulldozer", "piledriver"]

    /// The `OPENBLAS_CORETYPE` value to force, or nil to keep OpenBLAS's choice.
    /// - Parameters:
    ///   - detectedCore: `openblas_get_corename()`.
    ///   - cpuFlags: the CPU's feature flags as the kernel names them (`/proc/cpuinfo`); read only
    ///     when the detected family is a fallback, so a recognised CPU costs no file read at start-up.
    public static func override(detectedCore: String, cpuFlags readFlags: @autoclosure () -> Set<String>) -> String? {
        guard fallbackCores.contains(detectedCore.lowercased()) else { return nil }
        let cpuFlags = readFlags()
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpuFlags.contains)
        if avx512 { return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The feature flags of the first CPU in `cpuinfo` (the text of `/proc/cpuinfo`); empty when it
    /// has no `flags` line (not x86, or not Linux).
    public static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The flags of this machine's CPU; empty when `/proc/cpuinfo` cannot be read.
    public static var machineFlags: Set<String> {
        cpuFlags(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    }
}
