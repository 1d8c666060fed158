import Foundation

extension BagInfo: CustomStringConvertible {
    /// A `ros2 bag info`-style report (rosbag2's `format_bag_meta_data` rows, times in UTC), plus the
    /// chunks, the summary state and the Metadata records.
    public var description: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 19, withPad: " ", startingAt: 0) + value)
        }
        row("Bag size:", BagInfo.formatSize(fileSize))
        row("Storage id:", "mcap" + (header.map { " (profile \"\($0.profile)\", library \"\($0.library)\")" } ?? ""))
        row("ROS Distro:", rosDistro ?? "unknown")
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
            row(position == 0 ? "Metadata:" : "", "\(record.name): " + BagInfo.summary(of: record))
        }
        let width = topics.map(\.name.count).max() ?? 0
        for (position, topic) in topics.enumerated() {
            let name = topic.name.padding(toLength: width, withPad: " ", startingAt: 0)
            row(position == 0 ? "Topic information:" : "",
                "Topic: \(name) | Type: \(topic.typeName) | Count: \(topic.messageCount) | Serialization Format: \(topic.messageEncoding)")
        }
        return lines.joined(separator: "\n")
    }

    /// One line for a Metadata record: its pairs, or for rosbag2's record what it describes (its
    /// YAML spans many lines).
    static func summary(of record: MCAPMetadata) -> String {
        if record.name == Rosbag2Metadata.recordName, let yaml = record.metadata[Rosbag2Metadata.key] {
            let version = yaml.split(separator: "\n").first { $0.hasPrefix("version:") }?.dropFirst(8)
                .trimmingCharacters(in: .whitespaces) ?? "?"
            return "\(Rosbag2Metadata.key) (bag metadata version \(version), \(yaml.utf8.count) bytes of YAML)"
        }
        let pairs = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return pairs.isEmpty ? "(empty)" : pairs
    }

    /// Bytes as rosbag2 prints them: `B` without decimals, `KiB` … `TiB` with one.
    static func formatSize(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Nanoseconds since the epoch as rosbag2 prints a time point (`%b %e %Y %H:%M:%S.<ns>` and the
    /// exact seconds in parentheses), in UTC where rosbag2 uses the local zone.
    static func formatTime(_ nanoseconds: UInt64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let seconds = nanoseconds / 1_000_000_000
        let fraction = String(format: "%09llu", nanoseconds % 1_000_000_000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let date = String(format: "%@ %2d %d", months[(parts.month ?? 1) - 1], parts.day ?? 0, parts.year ?? 0)
        let time = String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        return "\(date) \(time).\(fraction) (\(seconds).\(fraction))"
    }
}
