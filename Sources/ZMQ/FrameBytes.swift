import Foundation

/// A value whose bytes can be sent as one message frame without an intermediate copy.
///
/// Conforming types: `[UInt8]`, `ArraySlice<UInt8>`, `Data`, `UnsafeRawBufferPointer`, `String` and
/// `Substring` (UTF-8, no terminator). Frames of different types can be mixed in one `send` call,
/// e.g. `try socket.send(["/camera", cdrBytes])`.
public protocol FrameBytes {
    /// Calls `body` with the frame's bytes, valid only during the call.
    func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: FrameBytes where Element == UInt8 {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: FrameBytes where Element == UInt8 {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension Data: FrameBytes {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension UnsafeRawBufferPointer: FrameBytes {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(self)
    }
}

extension String: FrameBytes {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var contiguous = self
        return try contiguous.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

extension Substring: FrameBytes {
    public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var contiguous = self
        return try contiguous.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
