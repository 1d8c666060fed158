/// Serialization of records: `opcode u8, content length u64, content`.
extension MCAPRecord {
    /// The full record bytes.
    func serialized() -> [UInt8] {
        var content = BinaryWriter()
        let opcode: MCAPOpcode
        switch self {
        case .header(let header):
            opcode = .header
            content.write(header.profile)
            content.write(header.library)
        case .footer(let footer):
            opcode = .footer
            content.write(footer.summaryStart)
            content.write(footer.summaryOffsetStart)
            content.write(footer.summaryCRC)
        case .schema(let schema):
            opcode = .schema
            content.write(schema.id)
            content.write(schema.name)
            content.write(schema.encoding)
            content.write(UInt32(schema.data.count))
            content.append(schema.data)
        case .channel(let channel):
            opcode = .channel
            content.write(channel.id)
            content.write(channel.schemaID)
            content.write(channel.topic)
            content.write(channel.messageEncoding)
            content.write(channel.metadata)
        case .message(let message):
            opcode = .message
            content.write(message.channelID)
            content.write(message.sequence)
            content.write(message.logTime)
            content.write(message.publishTime)
            content.append(message.data)
        case .chunk(let chunk):
            opcode = .chunk
            content.write(chunk.messageStartTime)
            content.write(chunk.messageEndTime)
            content.write(chunk.uncompressedSize)
            content.write(chunk.uncompressedCRC)
            content.write(chunk.compression)
            content.write(UInt64(chunk.records.count))
            content.append(chunk.records)
        case .messageIndex(let index):
            opcode = .messageIndex
            content.write(index.channelID)
            content.write(UInt32(index.entries.count * 16))
            for entry in index.entries {
                content.write(entry.logTime)
                content.write(entry.offset)
            }
        case .chunkIndex(let index):
            opcode = .chunkIndex
            content.write(index.messageStartTime)
            content.write(index.messageEndTime)
            content.write(index.chunkStartOffset)
            content.write(index.chunkLength)
            content.write(index.messageIndexOffsets)
            content.write(index.messageIndexLength)
            content.write(index.compression)
            content.write(index.compressedSize)
            content.write(index.uncompressedSize)
        case .statistics(let stats):
            opcode = .statistics
            content.write(stats.messageCount)
            content.write(stats.schemaCount)
            content.write(stats.channelCount)
            content.write(stats.attachmentCount)
            content.write(stats.metadataCount)
            content.write(stats.chunkCount)
            content.write(stats.messageStartTime)
            content.write(stats.messageEndTime)
            content.write(stats.channelMessageCounts)
        case .metadata(let metadata):
            opcode = .metadata
            content.write(metadata.name)
            content.write(metadata.metadata)
        case .metadataIndex(let index):
            opcode = .metadataIndex
            content.write(index.offset)
            content.write(index.length)
            content.write(index.name)
        case .summaryOffset(let offset):
            opcode = .summaryOffset
            content.write(offset.groupOpcode)
            content.write(offset.groupStart)
            content.write(offset.groupLength)
        case .dataEnd(let crc):
            opcode = .dataEnd
            content.write(crc)
        case .other(let code, let raw):
            return frame(opcode: code, content: Array(raw))
        }
        return frame(opcode: opcode.rawValue, content: content.bytes)
    }

    private func frame(opcode: UInt8, content: [UInt8]) -> [UInt8] {
        var record = BinaryWriter()
        record.write(opcode)
        record.write(UInt64(content.count))
        record.append(content)
        return record.bytes
    }

    /// Decodes a record's content. Extra trailing fields (from newer spec versions) are ignored.
    static func parse(opcode: UInt8, content: ArraySlice<UInt8>, offset: UInt64) throws -> MCAPRecord {
        var reader = BinaryReader(content, opcode: opcode, recordOffset: offset)
        guard let known = MCAPOpcode(rawValue: opcode) else { return .other(opcode: opcode, content: content) }
        switch known {
        case .header:
            return .header(MCAPHeader(profile: try reader.readString(), library: try reader.readString()))
        case .footer:
            return .footer(MCAPFooter(summaryStart: try reader.read(), summaryOffsetStart: try reader.read(),
                                      summaryCRC: try reader.read()))
        case .schema:
            let id: UInt16 = try reader.read()
            let name = try reader.readString()
            let encoding = try reader.readString()
            let length: UInt32 = try reader.read()
            let data = Array(try reader.readBytes(count: UInt64(length)))
            return .schema(MCAPSchema(id: id, name: name, encoding: encoding, data: data))
        case .channel:
            return .channel(MCAPChannel(id: try reader.read(), schemaID: try reader.read(),
                                        topic: try reader.readString(), messageEncoding: try reader.readString(),
                                        metadata: try reader.readStringMap()))
        case .message:
            return .message(MCAPMessageRecord(channelID: try reader.read(), sequence: try reader.read(),
                                              logTime: try reader.read(), publishTime: try reader.read(),
                                              data: Array(reader.readRest())))
        case .chunk:
            let start: UInt64 = try reader.read()
            let end: UInt64 = try reader.read()
            let size: UInt64 = try reader.read()
            let crc: UInt32 = try reader.read()
            let compression = try reader.readString()
            let length: UInt64 = try reader.read()
            return .chunk(MCAPChunk(messageStartTime: start, messageEndTime: end, uncompressedSize: size,
                                    uncompressedCRC: crc, compression: compression,
                                    records: try reader.readBytes(count: length)))
        case .messageIndex:
            let channelID: UInt16 = try reader.read()
            let entries: [(logTime: UInt64, offset: UInt64)] = try reader.readEntries { (try $0.read(), try $0.read()) }
            return .messageIndex(MCAPMessageIndex(channelID: channelID, entries: entries))
        case .chunkIndex:
            return .chunkIndex(MCAPChunkIndex(
                messageStartTime: try reader.read(), messageEndTime: try reader.read(),
                chunkStartOffset: try reader.read(), chunkLength: try reader.read(),
                messageIndexOffsets: try reader.readCountMap(), messageIndexLength: try reader.read(),
                compression: try reader.readString(), compressedSize: try reader.read(),
                uncompressedSize: try reader.read()))
        case .statistics:
            return .statistics(MCAPStatistics(
                messageCount: try reader.read(), schemaCount: try reader.read(), channelCount: try reader.read(),
                attachmentCount: try reader.read(), metadataCount: try reader.read(),
                chunkCount: try reader.read(), messageStartTime: try reader.read(),
                messageEndTime: try reader.read(), channelMessageCounts: try reader.readCountMap()))
        case .summaryOffset:
            return .summaryOffset(MCAPSummaryOffset(groupOpcode: try reader.read(), groupStart: try reader.read(),
                                                    groupLength: try reader.read()))
        case .dataEnd:
            return .dataEnd(dataSectionCRC: try reader.read())
        case .metadata:
            return .metadata(MCAPMetadata(name: try reader.readString(), metadata: try reader.readStringMap()))
        case .metadataIndex:
            return .metadataIndex(MCAPMetadataIndex(offset: try reader.read(), length: try reader.read(),
                                                    name: try reader.readString()))
        case .attachment, .attachmentIndex:
            return .other(opcode: opcode, content: content)
        }
    }
}
