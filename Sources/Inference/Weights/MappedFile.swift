#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped when released.
///
/// The mapped bytes are reachable only inside `withBytes(_:)`, which keeps the map alive for the
/// whole call, so no pointer into it can outlive the `munmap` in `deinit`. The map starts on a page
/// boundary, but a tensor inside it may start at any byte: read elements with `loadUnaligned` or
/// copy them (`copyMemory`), never with `load` or `bindMemory`.
final class MappedFile {
    let path: String
    /// The whole mapping; private so that it can only be reached through `withBytes(_:)`.
    private let bytes: UnsafeRawBufferPointer

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw WeightError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw WeightError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw WeightError.truncated(file: path, detail: "the file is empty")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw WeightError.cannotOpen(file: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Calls `body` with the mapped bytes, valid only during the call; `body` must not store them.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}

extension MappedFile {
    /// The bytes `range` of the file as weight storage that retains this map, so that the
    /// region stays valid for as long as any weight uses it.
    /// The pointer is the map's own, not one lent by a `withUnsafe…` call; its owner is this map.
    func region(_ range: Range<Int>) -> WeightBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "mapped region out of bounds")
        return WeightBytes(region: bytes.baseAddress! + range.lowerBound, count: range.count, keeping: self)
    }
}
