import Foundation

/// Memory figures from `/proc/self/status` and `/proc/meminfo` (Linux).
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes, nil where unavailable.
    public static var peakResidentBytes: Int? { statusField("VmHWM") }
    /// Current resident set size (`VmRSS`) in bytes.
    public static var residentBytes: Int? { statusField("VmRSS") }

    /// Memory the kernel estimates is available for new allocations (`MemAvailable`).
    public static var availableBytes: Int? { statusField("MemAvailable", file: "/proc/meminfo") }

    private static func statusField(_ name: String, file: String = "/proc/self/status") -> Int? {
        guard let status = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
