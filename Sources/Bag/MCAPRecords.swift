/// The 8 bytes that open and close every MCAP file (major version 0).
public let mcapMagic: [UInt8] = [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A]

/// MCAP record opcodes (spec §Records).
public enum MCAPOpcode: UInt8 {
    case header = 0x01, footer, schema, channel, message, chunk, messageIndex, chunkIndex,
         attachment, attachmentIndex, statistics, metadata, metadataIndex, summaryOffset, dataEnd
}

/// Header record: the profile (`ros2`) and the writing library.
public struct MCAPHeader: Equatable, Sendable {
    /// Profile name (`ros2` for ROS 2 bags).
    public var profile: String
    /// Name of the writing library.
    public var library: String
}

/// Footer record: where the summary and summary-offset sections start (0 = absent) and the summary CRC.
public struct MCAPFooter: Equatable, Sendable {
    /// File offset of the summary section (0 = none).
    public var summaryStart: UInt64
    /// File offset of the summary-offset section (0 = none).
    public var summaryOffsetStart: UInt64
    /// CRC-32 of the summary through the footer's offset fields (0 = not recorded).
    public var summaryCRC: UInt32
}

/// Schema record: a message definition (for ROS 2: name `pkg/msg/Type`, encoding `ros2msg`).
public struct MCAPSchema: Equatable, Sendable {
    /// Identifier other records refer to (unique per kind).
    public var id: UInt16
    /// Type name, e.g. `sensor_msgs/msg/Image`.
    public var name: String
    /// Definition format (`ros2msg` for ROS 2).
    public var encoding: String
    /// The definition (for `ros2msg`: the `.msg` text followed by its dependencies).
    public var data: [UInt8]
}

/// Channel record: a topic with its schema and message encoding (`cdr` for ROS 2).
public struct MCAPChannel: Equatable, Sendable {
    /// Identifier other records refer to (unique per kind).
    public var id: UInt16
    /// Schema of the messages (0 = schemaless).
    public var schemaID: UInt16
    /// Topic name.
    public var topic: String
    /// Payload encoding (`cdr` for ROS 2).
    public var messageEncoding: String
    /// Free-form metadata (`offered_qos_profiles` for ROS 2).
    public var metadata: [String: String]
}

/// Message record: one timestamped payload on a channel (times in nanoseconds).
public struct MCAPMessageRecord: Equatable, Sendable {
    /// Channel the message was recorded on.
    public var channelID: UInt16
    /// Writer-assigned sequence number.
    public var sequence: UInt32
    /// Recording time, ns.
    public var logTime: UInt64
    /// Publishing time, ns.
    public var publishTime: UInt64
    /// The payload (for ROS 2: CDR with its encapsulation header).
    public var data: [UInt8]
}

/// Chunk record: a (possibly compressed) run of Schema, Channel and Message records.
struct MCAPChunk: Equatable {
    var messageStartTime: UInt64
    var messageEndTime: UInt64
    var uncompressedSize: UInt64
    var uncompressedCRC: UInt32
    var compression: String
    var records: ArraySlice<UInt8>
}

/// MessageIndex record: log time and offset (in the uncompressed chunk) of each message of one channel.
struct MCAPMessageIndex: Equatable {
    var channelID: UInt16
    var entries: [(logTime: UInt64, offset: UInt64)]

    static func == (lhs: MCAPMessageIndex, rhs: MCAPMessageIndex) -> Bool {
        lhs.channelID == rhs.channelID && lhs.entries.elementsEqual(rhs.entries) { $0 == $1 }
    }
}

/// ChunkIndex record (summary): where a chunk is and what it holds.
public struct MCAPChunkIndex: Equatable, Sendable {
    /// Earliest message log time, ns.
    public var messageStartTime: UInt64
    /// Latest message log time, ns.
    public var messageEndTime: UInt64
    /// File offset of the chunk record's opcode.
    public var chunkStartOffset: UInt64
    /// Length of the chunk record, opcode and length prefix included.
    public var chunkLength: UInt64
    /// File offset of each channel's MessageIndex record after the chunk.
    public var messageIndexOffsets: [UInt16: UInt64]
    /// Total length of the MessageIndex records after the chunk.
    public var messageIndexLength: UInt64
    /// Compression (`""`, `zstd`, `lz4`).
    public var compression: String
    /// Size of the stored (compressed) records.
    public var compressedSize: UInt64
    /// Size of the records after decompression.
    public var uncompressedSize: UInt64
}

/// Statistics record (summary): counts and the time span of the whole file.
public struct MCAPStatistics: Equatable, Sendable {
    /// Messages in the file.
    public var messageCount: UInt64
    /// Schema records.
    public var schemaCount: UInt16
    /// Channel records.
    public var channelCount: UInt32
    /// Attachment records.
    public var attachmentCount: UInt32
    /// Metadata records.
    public var metadataCount: UInt32
    /// Chunk records.
    public var chunkCount: UInt32
    /// Earliest message log time, ns.
    public var messageStartTime: UInt64
    /// Latest message log time, ns.
    public var messageEndTime: UInt64
    /// Messages per channel id.
    public var channelMessageCounts: [UInt16: UInt64]
}

/// Metadata record: named string pairs about the whole file (e.g. what a recorder dropped).
public struct MCAPMetadata: Equatable, Sendable {
    /// Name of the metadata group, e.g. `vla_node.recorder`.
    public var name: String
    /// The key/value pairs.
    public var metadata: [String: String]

    /// Creates a metadata record.
    public init(name: String, metadata: [String: String]) {
        self.name = name
        self.metadata = metadata
    }
}

/// MetadataIndex record (summary): where one Metadata record is.
struct MCAPMetadataIndex: Equatable {
    var offset: UInt64
    var length: UInt64
    var name: String
}

/// SummaryOffset record: where the group of summary records with one opcode lies.
struct MCAPSummaryOffset: Equatable {
    var groupOpcode: UInt8
    var groupStart: UInt64
    var groupLength: UInt64
}

/// One top-level or in-chunk record, decoded; record kinds this package does not interpret are kept raw.
enum MCAPRecord: Equatable {
    case header(MCAPHeader)
    case footer(MCAPFooter)
    case schema(MCAPSchema)
    case channel(MCAPChannel)
    case message(MCAPMessageRecord)
    case chunk(MCAPChunk)
    case messageIndex(MCAPMessageIndex)
    case chunkIndex(MCAPChunkIndex)
    case statistics(MCAPStatistics)
    case metadata(MCAPMetadata)
    case metadataIndex(MCAPMetadataIndex)
    case summaryOffset(MCAPSummaryOffset)
    case dataEnd(dataSectionCRC: UInt32)
    case other(opcode: UInt8, content: ArraySlice<UInt8>)
}
