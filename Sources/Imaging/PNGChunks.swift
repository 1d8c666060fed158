/// The chunk layout of a PNG stream (after the 8-byte signature, each chunk is a 4-byte big-endian data
/// length, a 4-byte type, the data and a 4-byte CRC), read without trusting it: the walk stops at the
/// first chunk whose declared length runs past the end of the bytes.
struct PNGChunks {
    /// One complete chunk.
    struct Chunk {
        /// The four-letter chunk type, e.g. `IDAT`.
        let type: ArraySlice<UInt8>
        /// The whole chunk, from its length field to its CRC.
        let range: Range<Int>
        /// Number of data bytes.
        var dataCount: Int { range.count - PNGChunks.overhead }
    }

    /// Bytes of the PNG signature that precedes the first chunk.
    private static let signatureLength = 8
    /// Bytes of a chunk besides its data: length, type and CRC.
    static let overhead = 12

    /// The complete chunks, in stream order.
    let chunks: [Chunk]

    init(_ bytes: [UInt8]) {
        var chunks: [Chunk] = []
        var offset = min(Self.signatureLength, bytes.count)
        while bytes.count - offset >= Self.overhead {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count - offset - Self.overhead else { break }
            let end = offset + Self.overhead + length
            chunks.append(Chunk(type: bytes[(offset + 4)..<(offset + 8)], range: offset..<end))
            offset = end
        }
        self.chunks = chunks
    }

    /// Total data bytes of the chunks of `type`.
    func dataCount(of type: String) -> Int {
        let name = Array(type.utf8)
        return chunks.lazy.filter { $0.type.elementsEqual(name) }.reduce(0) { $0 + $1.dataCount }
    }
}
