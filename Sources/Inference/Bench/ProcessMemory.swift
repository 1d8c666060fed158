import Foundation

/// Resident-memory figures of this process from `/proc/self/status` (Linux).
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes, nil where unavailable.
    public static var peakResidentBytes: Int? { statusField("VmHWM") }
    /// Current resident set size (`VmRSS`) in bytes.
    public static var residentBytes: Int? { statusField("VmRSS") }

    private static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
