import Foundation

extension BagInfo: CustomStringConvertible {
    /// A `ros2 bag info`-style report.
    public var description: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 19, withPad: " ", startingAt: 0) + value)
        }
        row("Bag size:", BagInfo.formatSize(fileSize))
        row("Storage id:", "mcap" + (header.map { " (profile \"\($0.profile)\", library \"\($0.library)\")" } ?? ""))
        row("Duration:", String(format: "%.9fs", duration))
        if let span = timeSpan {
            row("Start:", BagInfo.formatTime(span.lowerBound))
            row("End:", BagInfo.formatTime(span.upperBound))
        }
        row("Messages:", "\(messageCount)")
        row("Chunks:", "\(chunkCount) (compression: \(compressions.isEmpty ? "none" : compressions.joined(separator: ", ")))")
        if !fromSummary {
            let reason: String
            switch scanEnd {
            case .truncated(let offset)?: reason = "truncated at byte \(offset); every complete chunk was read"
            case .endOfInput?: reason = "no DataEnd record; every complete record was read"
            case .dataEnd?, nil: reason = "no summary section; counts come from a full scan"
            }
            row("Summary:", "missing (\(reason))")
        }
        for (position, record) in metadata.enumerated() {
            let pairs = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            row(position == 0 ? "Metadata:" : "", "\(record.name): " + (pairs.isEmpty ? "(empty)" : pairs))
        }
        let width = topics.map(\.name.count).max() ?? 0
        for (position, topic) in topics.enumerated() {
            let name = topic.name.padding(toLength: width, withPad: " ", startingAt: 0)
            row(position == 0 ? "Topic information:" : "",
                "Topic: \(name) | Type: \(topic.typeName) | Count: \(topic.messageCount) | Serialization Format: \(topic.messageEncoding)")
        }
        return lines.joined(separator: "\n")
    }

    /// Bytes as `B`, `KiB`, `MiB` or `GiB` with two decimals.
    static func formatSize(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.2f %@", value, units[unit])
    }

    /// Nanoseconds since the epoch as an ISO-8601 UTC date followed by the exact seconds.
    static func formatTime(_ nanoseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
        let exact = "\(nanoseconds / 1_000_000_000)." + String(format: "%09llu", nanoseconds % 1_000_000_000)
        return "\(formatter.string(from: date)) (\(exact))"
    }
}
