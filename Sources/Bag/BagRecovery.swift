/// Rebuilds a complete, indexed bag from a damaged one (a writer killed mid-file): every message of
/// every complete chunk, and every complete Metadata record, is copied into a new file with a fresh
/// summary, CRCs and footer. A `rosbag2` record of the damaged file is replaced by one with the
/// recovered counts (written by `MCAPWriter.finish()` for profile `ros2`), and channels of `ros2msg`
/// schemas without a `topic_type_hash` gain one.
public enum BagRecovery {
    /// What the recovery kept.
    public struct Report: Equatable, Sendable {
        /// Messages copied.
        public var messageCount: UInt64
        /// Complete chunks found in the damaged file.
        public var chunkCount: Int
        /// Where the scan of the damaged file stopped.
        public var end: MCAPStreamReader.End?
    }

    /// Copies every readable message of `input` to a new bag on `output`; the Header profile and
    /// library of the damaged file are kept when it has them. `options.fileName` names the new file
    /// in its `rosbag2` record.
    public static func recover(input: MCAPInput, to output: MCAPOutput,
                               options: MCAPWriter.Options = MCAPWriter.Options()) throws -> Report {
        var reader = try MCAPStreamReader(input: input)
        var writerOptions = options
        var writer: MCAPWriter?
        var channelMap: [UInt16: UInt16] = [:]
        var count: UInt64 = 0
        func openWriter() throws -> MCAPWriter {
            if let writer { return writer }
            if let header = reader.header {
                writerOptions.profile = header.profile
                writerOptions.library = header.library
            }
            let created = try MCAPWriter(output: output, options: writerOptions)
            writer = created
            return created
        }
        while let message = try reader.next() {
            let target = try openWriter()
            let channelID: UInt16
            if let mapped = channelMap[message.channel.id] {
                channelID = mapped
            } else {
                let schemaID = try message.schema.map {
                    try target.addSchema(name: $0.name, encoding: $0.encoding, data: $0.data)
                } ?? 0
                channelID = try target.addChannel(topic: message.channel.topic, schemaID: schemaID,
                                                  messageEncoding: message.channel.messageEncoding,
                                                  metadata: ROS2ChannelMetadata.addingTypeHash(
                                                      to: message.channel.metadata, schema: message.schema))
                channelMap[message.channel.id] = channelID
            }
            try target.write(channelID: channelID, sequence: message.sequence, logTime: message.logTime,
                             publishTime: message.publishTime, data: message.data)
            count += 1
        }
        let target = try openWriter()
        for record in reader.metadata where record.name != Rosbag2Metadata.recordName {
            try target.addMetadata(record)
        }
        try target.finish()
        return Report(messageCount: count, chunkCount: reader.chunkCount, end: reader.end)
    }
}
