import CLZ4
import CZstd

/// Chunk compression of an MCAP file.
public enum MCAPCompression: String, CaseIterable, Sendable {
    /// Records stored as they are (`""` in the file).
    case none = ""
    /// Zstandard frame.
    case zstd
    /// LZ4 frame format (not raw LZ4 blocks).
    case lz4

    /// Largest chunk this package will decompress (the same 1 GiB cap `mcap recover` uses).
    static let maximumUncompressedSize: UInt64 = 1 << 30

    /// The compression named `name` in a Chunk record, or a typed error.
    init(fileName name: String) throws {
        guard let compression = MCAPCompression(rawValue: name) else { throw MCAPError.unsupportedCompression(name) }
        self = compression
    }

    /// Compresses `bytes` (zstd level 3, LZ4 frame defaults).
    func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        switch self {
        case .none:
            return bytes
        case .zstd:
            var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
            let written = output.withUnsafeMutableBytes { out in
                bytes.withUnsafeBytes { ZSTD_compress(out.baseAddress, out.count, $0.baseAddress, $0.count, 3) }
            }
            guard ZSTD_isError(written) == 0 else {
                throw MCAPError.compressionFailed("zstd: " + String(cString: ZSTD_getErrorName(written)))
            }
            return Array(output.prefix(written))
        case .lz4:
            var output = [UInt8](repeating: 0, count: LZ4F_compressFrameBound(bytes.count, nil))
            let written = output.withUnsafeMutableBytes { out in
                bytes.withUnsafeBytes { LZ4F_compressFrame(out.baseAddress, out.count, $0.baseAddress, $0.count, nil) }
            }
            guard LZ4F_isError(written) == 0 else {
                throw MCAPError.compressionFailed("lz4: " + String(cString: LZ4F_getErrorName(written)))
            }
            return Array(output.prefix(written))
        }
    }

    /// Decompresses `bytes`, which must expand to exactly `uncompressedSize` bytes.
    func decompress(_ bytes: ArraySlice<UInt8>, uncompressedSize: UInt64) throws -> [UInt8] {
        guard uncompressedSize <= MCAPCompression.maximumUncompressedSize else {
            throw MCAPError.compressionFailed("chunk claims \(uncompressedSize) uncompressed bytes, over the 1 GiB limit")
        }
        switch self {
        case .none:
            guard UInt64(bytes.count) == uncompressedSize else {
                throw MCAPError.compressionFailed("uncompressed chunk has \(bytes.count) bytes, header says \(uncompressedSize)")
            }
            return Array(bytes)
        case .zstd:
            return try decompressZstd(bytes, size: Int(uncompressedSize))
        case .lz4:
            return try decompressLZ4(bytes, size: Int(uncompressedSize))
        }
    }

    private func decompressZstd(_ bytes: ArraySlice<UInt8>, size: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { ZSTD_decompress(out.baseAddress, out.count, $0.baseAddress, $0.count) }
        }
        guard ZSTD_isError(written) == 0 else {
            throw MCAPError.compressionFailed("zstd: " + String(cString: ZSTD_getErrorName(written)))
        }
        guard written == size else {
            throw MCAPError.compressionFailed("zstd chunk expanded to \(written) bytes, header says \(size)")
        }
        return output
    }

    private func decompressLZ4(_ bytes: ArraySlice<UInt8>, size: Int) throws -> [UInt8] {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw MCAPError.compressionFailed("lz4: cannot create a decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output = [UInt8](repeating: 0, count: size)
        var produced = 0
        var consumed = 0
        var finished = false
        try output.withUnsafeMutableBytes { out in
            try bytes.withUnsafeBytes { input in
                while !finished {
                    var outSize = out.count - produced
                    var inSize = input.count - consumed
                    let hint = LZ4F_decompress(context, out.baseAddress.map { $0 + produced }, &outSize,
                                               input.baseAddress.map { $0 + consumed }, &inSize, nil)
                    guard LZ4F_isError(hint) == 0 else {
                        throw MCAPError.compressionFailed("lz4: " + String(cString: LZ4F_getErrorName(hint)))
                    }
                    produced += outSize
                    consumed += inSize
                    finished = hint == 0
                    guard finished || (outSize > 0 || inSize > 0) else {
                        throw MCAPError.compressionFailed("lz4 frame is truncated or larger than the header says")
                    }
                }
            }
        }
        guard produced == size else {
            throw MCAPError.compressionFailed("lz4 chunk expanded to \(produced) bytes, header says \(size)")
        }
        return output
    }
}
