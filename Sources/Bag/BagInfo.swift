import Foundation

/// What `vla-node bag info` prints: topics, types, counts, time span, compression and size.
public struct BagInfo: Equatable, Sendable {
    /// One topic of the bag.
    public struct Topic: Equatable, Sendable {
        /// Topic name, e.g. `/camera/image`.
        public var name: String
        /// Schema name, e.g. `sensor_msgs/msg/Image` (empty for schemaless channels).
        public var typeName: String
        /// Message encoding, e.g. `cdr`.
        public var messageEncoding: String
        /// Messages on the topic.
        public var messageCount: UInt64
    }

    /// File size in bytes.
    public var fileSize: UInt64
    /// Header profile and library.
    public var header: MCAPHeader?
    /// Topics sorted by name.
    public var topics: [Topic]
    /// Total messages.
    public var messageCount: UInt64
    /// Earliest and latest log time (ns), nil for a bag without messages.
    public var timeSpan: ClosedRange<UInt64>?
    /// Chunk count.
    public var chunkCount: Int
    /// Compressions used by the chunks (`none`, `zstd`, `lz4`), sorted.
    public var compressions: [String]
    /// Metadata records, in file order (the node's recorder writes `vla_node.recorder`).
    public var metadata: [MCAPMetadata]
    /// True when the numbers come from the summary; false when the file was scanned (unfinished bag).
    public var fromSummary: Bool
    /// For scanned files: why the scan stopped.
    public var scanEnd: MCAPStreamReader.End?

    /// `ros_distro` of the bag's `rosbag2` record, nil when it has none.
    public var rosDistro: String? {
        metadata.lazy.compactMap(Rosbag2Metadata.rosDistro(of:)).first
    }

    /// Duration between first and last message in seconds.
    public var duration: Double {
        timeSpan.map { Double($0.upperBound - $0.lowerBound) / 1e9 } ?? 0
    }

    /// Reads the summary of `input`, or scans every record when the file has none.
    public init(input: MCAPInput) throws {
        do {
            try self.init(indexed: MCAPIndexedReader(input: input), fileSize: input.size)
        } catch MCAPError.missingSummary {
            try self.init(scanning: input)
        }
    }

    private init(indexed reader: MCAPIndexedReader, fileSize: UInt64) throws {
        self.fileSize = fileSize
        header = reader.header
        fromSummary = true
        scanEnd = nil
        var counts = reader.statistics?.channelMessageCounts ?? [:]
        if reader.statistics == nil {
            for index in reader.chunkIndexes {
                for message in try reader.messages(in: index) { counts[message.channel.id, default: 0] += 1 }
            }
        }
        topics = BagInfo.topics(channels: reader.channels, schemas: reader.schemas, counts: counts)
        // The Statistics total, not a sum of its per-channel counts (which a hostile file can overflow).
        messageCount = reader.statistics?.messageCount ?? counts.values.reduce(0, +)
        let starts = reader.chunkIndexes.map(\.messageStartTime)
        let ends = reader.chunkIndexes.map(\.messageEndTime)
        if let stats = reader.statistics, stats.messageCount > 0 {
            timeSpan = stats.messageStartTime...max(stats.messageStartTime, stats.messageEndTime)
        } else if let start = starts.min(), let end = ends.max(), messageCount > 0 {
            timeSpan = start...max(start, end)
        } else {
            timeSpan = nil
        }
        chunkCount = reader.chunkIndexes.count
        compressions = Set(reader.chunkIndexes.map { $0.compression.isEmpty ? "none" : $0.compression }).sorted()
        metadata = try reader.metadata()
    }

    private init(scanning input: MCAPInput) throws {
        fileSize = input.size
        fromSummary = false
        var reader = try MCAPStreamReader(input: input)
        var counts: [UInt16: UInt64] = [:]
        var span: ClosedRange<UInt64>?
        while let message = try reader.next() {
            counts[message.channel.id, default: 0] += 1
            span = span.map { min($0.lowerBound, message.logTime)...max($0.upperBound, message.logTime) }
                ?? message.logTime...message.logTime
        }
        header = reader.header
        scanEnd = reader.end
        topics = BagInfo.topics(channels: reader.channels, schemas: reader.schemas, counts: counts)
        messageCount = counts.values.reduce(0, +)
        timeSpan = span
        chunkCount = reader.chunkCount
        compressions = reader.compressions.map { $0.isEmpty ? "none" : $0 }.sorted()
        metadata = reader.metadata
    }

    private static func topics(channels: [UInt16: MCAPChannel], schemas: [UInt16: MCAPSchema],
                               counts: [UInt16: UInt64]) -> [Topic] {
        channels.values.map { channel in
            Topic(name: channel.topic, typeName: schemas[channel.schemaID]?.name ?? "",
                  messageEncoding: channel.messageEncoding, messageCount: counts[channel.id] ?? 0)
        }.sorted { ($0.name, $0.typeName) < ($1.name, $1.typeName) }
    }
}
