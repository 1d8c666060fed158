import Foundation

/// Random-access bytes an MCAP reader reads from.
public protocol MCAPInput {
    /// Total size in bytes.
    var size: UInt64 { get }
    /// Up to `count` bytes starting at `offset` (fewer only at the end of the input, never past `size`).
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

/// A file read with positioned reads, so large bags are never loaded whole.
public final class MCAPFileInput: MCAPInput {
    private let handle: FileHandle
    private let path: String
    /// File size in bytes.
    public let size: UInt64

    /// Opens `path` for reading.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MCAPError.io(path: path, reason: "cannot open the file for reading (does it exist?)")
        }
        do {
            size = try handle.seekToEnd()
        } catch {
            throw MCAPError.io(path: path, reason: "cannot determine the size: \(error.localizedDescription)")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// Up to `count` bytes at `offset`, never past `size`: a file that grows while it is read (a bag
    /// still being recorded) reads as it was when opened.
    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        do {
            try handle.seek(toOffset: offset)
            return [UInt8](try handle.read(upToCount: min(count, Int(clamping: size - offset))) ?? Data())
        } catch {
            throw MCAPError.io(path: path, reason: "read of \(count) bytes at \(offset) failed: \(error.localizedDescription)")
        }
    }
}

/// Bytes already in memory.
public struct MCAPMemoryInput: MCAPInput {
    private let bytes: [UInt8]

    /// Reads from `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Buffer size in bytes.
    public var size: UInt64 { UInt64(bytes.count) }

    /// Up to `count` bytes at `offset`.
    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<(start + min(count, bytes.count - start))])
    }
}
