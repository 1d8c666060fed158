/// Writes an MCAP file: magic, Header, Schema/Channel records, Chunks each followed by their
/// MessageIndex records, Metadata records (for profile `ros2`, rosbag2's `rosbag2` record last), DataEnd, a Summary (Schema, Channel, Statistics, ChunkIndex,
/// MetadataIndex groups),
/// SummaryOffsets, Footer and magic. Every chunk reaches the output as soon as it closes, so a
/// crash loses at most the open chunk. Not thread-safe: use it from one thread.
public final class MCAPWriter {
    /// How chunks are formed and what the Header says.
    public struct Options: Sendable {
        /// Chunk compression.
        public var compression: MCAPCompression
        /// A chunk closes once its uncompressed records reach this many bytes.
        public var chunkSizeLimit: Int
        /// A chunk closes before a message that would stretch its log-time span beyond this (ns).
        public var chunkDurationLimit: UInt64
        /// Header profile (`ros2` for ROS 2 bags).
        public var profile: String
        /// Header library string.
        public var library: String
        /// The bag's file name in the `rosbag2` record (`relative_file_paths`, `files`);
        /// `init(path:)` fills in the path's last component when this is nil.
        public var fileName: String?
        /// `ros_distro` of the `rosbag2` record: the distribution whose message definitions and
        /// bag format the file follows.
        public var rosDistro: String

        /// Defaults: zstd, 1 MiB or 1 s chunks, profile `ros2`, ROS distribution `jazzy`.
        public init(compression: MCAPCompression = .zstd, chunkSizeLimit: Int = 1 << 20,
                    chunkDurationLimit: UInt64 = 1_000_000_000, profile: String = "ros2",
                    library: String = "vla-node", fileName: String? = nil, rosDistro: String = "jazzy") {
            self.compression = compression
            self.chunkSizeLimit = chunkSizeLimit
            self.chunkDurationLimit = chunkDurationLimit
            self.profile = profile
            self.library = library
            self.fileName = fileName
            self.rosDistro = rosDistro
        }
    }

    private let output: MCAPOutput
    private let options: Options
    private var position: UInt64 = 0
    private var dataCRC = CRC32()
    private var schemas: [MCAPSchema] = []
    private var channels: [MCAPChannel] = []
    private var chunk = ChunkBuilder()
    private var chunkIndexes: [MCAPChunkIndex] = []
    private var metadataIndexes: [MCAPMetadataIndex] = []
    private var channelMessageCounts: [UInt16: UInt64] = [:]
    private var messageCount: UInt64 = 0
    private var startTime: UInt64 = .max
    private var endTime: UInt64 = 0
    private var isFinished = false

    /// Starts a file on `output` (writes the magic and the Header).
    public init(output: MCAPOutput, options: Options = Options()) throws {
        self.output = output
        self.options = options
        try emit(mcapMagic + MCAPRecord.header(MCAPHeader(profile: options.profile, library: options.library)).serialized())
    }

    /// Starts a file at `path` (created or truncated).
    public convenience init(path: String, options: Options = Options()) throws {
        var named = options
        if named.fileName == nil { named.fileName = path.split(separator: "/").last.map(String.init) }
        try self.init(output: MCAPFileOutput(path: path), options: named)
    }

    private func emit(_ bytes: [UInt8]) throws {
        try output.write(bytes)
        dataCRC.update(bytes)
        position += UInt64(bytes.count)
    }

    private func checkOpen() throws {
        guard !isFinished else { throw MCAPError.invalidWriterState("the file is already finished") }
    }

    /// Registers a schema and returns its id; an identical schema registered before returns the same id.
    public func addSchema(name: String, encoding: String, data: [UInt8]) throws -> UInt16 {
        try checkOpen()
        if let existing = schemas.first(where: { $0.name == name && $0.encoding == encoding && $0.data == data }) {
            return existing.id
        }
        guard schemas.count < Int(UInt16.max) else { throw MCAPError.invalidWriterState("too many schemas") }
        let schema = MCAPSchema(id: UInt16(schemas.count + 1), name: name, encoding: encoding, data: data)
        try emit(MCAPRecord.schema(schema).serialized())
        schemas.append(schema)
        return schema.id
    }

    /// Registers a channel (topic) on a registered schema (or schema 0: schemaless) and returns its id;
    /// an identical channel registered before returns the same id.
    public func addChannel(topic: String, schemaID: UInt16, messageEncoding: String,
                           metadata: [String: String] = [:]) throws -> UInt16 {
        try checkOpen()
        guard schemaID == 0 || schemas.contains(where: { $0.id == schemaID }) else {
            throw MCAPError.unknownSchema(id: schemaID)
        }
        if let existing = channels.first(where: {
            $0.topic == topic && $0.schemaID == schemaID && $0.messageEncoding == messageEncoding && $0.metadata == metadata
        }) {
            return existing.id
        }
        guard channels.count < Int(UInt16.max) else { throw MCAPError.invalidWriterState("too many channels") }
        let channel = MCAPChannel(id: UInt16(channels.count), schemaID: schemaID, topic: topic,
                                  messageEncoding: messageEncoding, metadata: metadata)
        try emit(MCAPRecord.channel(channel).serialized())
        channels.append(channel)
        return channel.id
    }

    /// Writes a Metadata record to the data section now (between chunks: the open chunk stays open) and
    /// indexes it in the summary.
    public func addMetadata(_ metadata: MCAPMetadata) throws {
        try checkOpen()
        let bytes = MCAPRecord.metadata(metadata).serialized()
        metadataIndexes.append(MCAPMetadataIndex(offset: position, length: UInt64(bytes.count), name: metadata.name))
        try emit(bytes)
    }

    /// Adds one message (times in ns) to the open chunk, closing chunks at the size or span limit.
    public func write(channelID: UInt16, sequence: UInt32, logTime: UInt64, publishTime: UInt64,
                      data: [UInt8]) throws {
        try checkOpen()
        guard channels.contains(where: { $0.id == channelID }) else {
            throw MCAPError.invalidWriterState("channel \(channelID) was never registered with addChannel")
        }
        if chunk.span(including: logTime) > options.chunkDurationLimit { try closeChunk() }
        chunk.append(MCAPMessageRecord(channelID: channelID, sequence: sequence, logTime: logTime,
                                       publishTime: publishTime, data: data))
        channelMessageCounts[channelID, default: 0] += 1
        messageCount += 1
        startTime = min(startTime, logTime)
        endTime = max(endTime, logTime)
        if chunk.records.count >= options.chunkSizeLimit { try closeChunk() }
    }

    /// Writes the open chunk (if any) and its MessageIndex records to the output now.
    public func closeChunk() throws {
        try checkOpen()
        guard !chunk.isEmpty else { return }
        let chunkRecord = try chunk.chunkRecord(compression: options.compression)
        let chunkBytes = MCAPRecord.chunk(chunkRecord).serialized()
        let chunkStart = position
        var indexBytes: [UInt8] = []
        var indexOffsets: [UInt16: UInt64] = [:]
        for index in chunk.messageIndexRecords() {
            indexOffsets[index.channelID] = chunkStart + UInt64(chunkBytes.count + indexBytes.count)
            indexBytes += MCAPRecord.messageIndex(index).serialized()
        }
        try emit(chunkBytes + indexBytes)
        chunkIndexes.append(MCAPChunkIndex(
            messageStartTime: chunkRecord.messageStartTime, messageEndTime: chunkRecord.messageEndTime,
            chunkStartOffset: chunkStart, chunkLength: UInt64(chunkBytes.count),
            messageIndexOffsets: indexOffsets, messageIndexLength: UInt64(indexBytes.count),
            compression: chunkRecord.compression, compressedSize: UInt64(chunkRecord.records.count),
            uncompressedSize: chunkRecord.uncompressedSize))
        chunk = ChunkBuilder()
    }

    /// Closes the open chunk, writes (for profile `ros2`) the `rosbag2` Metadata record with the
    /// final counts, then DataEnd, the summary, the footer and the closing magic, and closes the
    /// output. The writer cannot be used afterwards.
    public func finish() throws {
        try closeChunk()
        if options.profile == "ros2" {
            try addMetadata(Rosbag2Metadata(channels: channels, schemas: schemas, statistics: statistics,
                                            fileName: options.fileName, rosDistro: options.rosDistro).record)
        }
        try emit(MCAPRecord.dataEnd(dataSectionCRC: dataCRC.value).serialized())
        let summaryStart = position
        var summary: [UInt8] = []
        var offsets: [MCAPSummaryOffset] = []
        func group(_ opcode: MCAPOpcode, _ records: [MCAPRecord]) {
            guard !records.isEmpty else { return }
            let bytes = records.flatMap { $0.serialized() }
            offsets.append(MCAPSummaryOffset(groupOpcode: opcode.rawValue,
                                             groupStart: summaryStart + UInt64(summary.count),
                                             groupLength: UInt64(bytes.count)))
            summary += bytes
        }
        group(.schema, schemas.map { .schema($0) })
        group(.channel, channels.map { .channel($0) })
        group(.statistics, [.statistics(statistics)])
        group(.chunkIndex, chunkIndexes.map { .chunkIndex($0) })
        group(.metadataIndex, metadataIndexes.map { .metadataIndex($0) })
        let summaryOffsetStart = summaryStart + UInt64(summary.count)
        summary += offsets.flatMap { MCAPRecord.summaryOffset($0).serialized() }
        // The summary CRC covers the summary and the Footer record up to (not including) its CRC field.
        var footer = MCAPFooter(summaryStart: summaryStart, summaryOffsetStart: summaryOffsetStart, summaryCRC: 0)
        var summaryCRC = CRC32()
        summaryCRC.update(summary)
        summaryCRC.update(MCAPRecord.footer(footer).serialized().dropLast(MemoryLayout<UInt32>.size))
        footer.summaryCRC = summaryCRC.value
        try emit(summary + MCAPRecord.footer(footer).serialized() + mcapMagic)
        isFinished = true
        try output.close()
    }

    private var statistics: MCAPStatistics {
        MCAPStatistics(messageCount: messageCount, schemaCount: UInt16(schemas.count),
                       channelCount: UInt32(channels.count), attachmentCount: 0,
                       metadataCount: UInt32(metadataIndexes.count),
                       chunkCount: UInt32(chunkIndexes.count),
                       messageStartTime: messageCount == 0 ? 0 : startTime,
                       messageEndTime: endTime, channelMessageCounts: channelMessageCounts)
    }
}
