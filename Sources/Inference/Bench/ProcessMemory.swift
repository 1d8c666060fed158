import Foundation

/// Memory figures from `/proc/self/status` and `/proc/meminfo` (Linux).
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes, nil where unavailable.
    public static var peakResidentBytes: Int? { statusField("VmHWM") }
    /// Current resident set size (`VmRSS`) in bytes.
    public static var residentBytes: Int? { statusField("VmRSS") }

    /// Resets the peak (`VmHWM`) to the current resident size by writing 5 to
    /// `/proc/self/clear_refs` (Linux ≥ 4.0); returns false where that is not possible.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// Memory the kernel estimates is available for new allocations (`MemAvailable`).
    public static var availableBytes: Int? { statusField("MemAvailable", file: "/proc/meminfo") }

    private static func statusField(_ name: String, file: String = "/proc/self/status") -> Int? {
        guard let status = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return field(name, in: status)
    }

    /// Bytes of the `name:` line of a `/proc` status text (`name:<tab or spaces>value kB`).
    /// The kernel pads values to 8 digits after a tab, so ≥ 10⁷ kB has no space before it.
    static func field(_ name: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
