import Foundation

/// Where an `MCAPWriter` puts its bytes.
public protocol MCAPOutput: AnyObject {
    /// Appends `bytes`; for files each call reaches the operating system before returning.
    func write(_ bytes: [UInt8]) throws
    /// Releases the destination after the last write.
    func close() throws
}

/// Writes to a file, created or truncated, with unbuffered `write(2)` calls so a chunk is on disk
/// (in the page cache) as soon as `write` returns.
public final class MCAPFileOutput: MCAPOutput {
    private let handle: FileHandle
    private let path: String

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw MCAPError.io(path: path, reason: "cannot create the file (check the directory exists and is writable)")
        }
        self.handle = handle
        self.path = path
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        do { try handle.write(contentsOf: bytes) } catch {
            throw MCAPError.io(path: path, reason: "write failed: \(error.localizedDescription)")
        }
    }

    /// Closes the destination.
    public func close() throws {
        do { try handle.close() } catch {
            throw MCAPError.io(path: path, reason: "close failed: \(error.localizedDescription)")
        }
    }
}

/// Collects the file in memory (tests, or sending a bag over the network).
public final class MCAPMemoryOutput: MCAPOutput {
    /// Every byte written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty buffer.
    public init() {}

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws { self.bytes.append(contentsOf: bytes) }

    /// Closes the destination.
    public func close() throws {}
}
