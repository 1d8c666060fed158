import Foundation

/// A dense float32 array in C (row-major) order, as stored in a `.npy` file.
public struct NPYArray: Sendable, Equatable {
    /// Dimensions, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// `shape.reduce(1, *)` values in C order.
    public let values: [Float]

    /// - Throws: `NPYError.shapeMismatch` when `values.count` differs from the product of `shape`
    ///   or a dimension is negative.
    public init(shape: [Int], values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), NPY.elementCount(shape) == values.count else {
            throw NPYError.shapeMismatch(shape: shape, valueCount: values.count)
        }
        self.shape = shape
        self.values = values
    }
}

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0, 3.0) holding little-endian
/// float32 (`<f4`) arrays in C order.
public enum NPY {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    private static let float32Descriptor = "<f4"
    /// numpy aligns the data section to 64 bytes.
    private static let alignment = 64

    /// Reads a `.npy` file.
    /// - Throws: `NPYError` for unreadable, corrupt or non-`<f4` files.
    public static func read(contentsOf url: URL) throws -> NPYArray {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NPYError.fileAccess(path: url.path, reason: error.localizedDescription)
        }
        return try decode([UInt8](data))
    }

    /// Parses `.npy` bytes.
    /// - Throws: `NPYError` for a bad magic or version, a malformed header, another dtype,
    ///   Fortran order, or a data section of the wrong size.
    public static func decode(_ bytes: [UInt8]) throws -> NPYArray {
        guard bytes.starts(with: magic) else { throw NPYError.notNPY }
        guard bytes.count >= 8 else { throw NPYError.malformedHeader("file ends inside the preamble") }
        let major = bytes[6], minor = bytes[7]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw NPYError.unsupportedVersion(major: major, minor: minor)
        }
        guard bytes.count >= 8 + lengthFieldSize else { throw NPYError.malformedHeader("file ends inside the header length") }
        let headerLength = (0..<lengthFieldSize).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let headerStart = 8 + lengthFieldSize
        guard bytes.count - headerStart >= headerLength else {
            throw NPYError.malformedHeader("header declares \(headerLength) bytes but the file ends first")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        guard major == 3 || headerBytes.allSatisfy({ $0 < 0x80 }) else {
            throw NPYError.malformedHeader("version \(major).0 headers must be ASCII")
        }
        guard let headerText = String(validating: headerBytes, as: UTF8.self) else {
            throw NPYError.malformedHeader("header is not valid UTF-8")
        }
        let header = try NPYHeader(parsing: headerText)
        guard header.descr == float32Descriptor else { throw NPYError.unsupportedDType(header.descr) }
        guard !header.fortranOrder else { throw NPYError.fortranOrder }
        guard let count = elementCount(header.shape), count <= Int.max / 4 else {
            throw NPYError.malformedHeader("shape \(header.shape) is too large")
        }
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart == count * 4 else {
            throw NPYError.dataSizeMismatch(expectedBytes: count * 4, actualBytes: bytes.count - dataStart)
        }
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let offset = dataStart + 4 * index
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            values[index] = Float(bitPattern: bits)
        }
        return try NPYArray(shape: header.shape, values: values)
    }

    /// Serializes an array as numpy does: format 1.0 (2.0 if the header exceeds 65535 bytes),
    /// header padded with spaces and a newline so the data starts on a 64-byte boundary.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        let header = NPYHeader(descr: float32Descriptor, fortranOrder: false, shape: array.shape).text
        let needsVersion2 = header.utf8.count + 1 + 10 > Int(UInt16.max)
        let preambleSize = needsVersion2 ? 12 : 10
        let unpadded = preambleSize + header.utf8.count + 1
        let headerLength = header.utf8.count + 1 + (alignment - unpadded % alignment) % alignment

        var bytes = magic + [needsVersion2 ? 2 : 1, 0]
        bytes += (0..<(needsVersion2 ? 4 : 2)).map { UInt8(truncatingIfNeeded: headerLength >> (8 * $0)) }
        bytes += Array(header.utf8)
        bytes += [UInt8](repeating: 0x20, count: headerLength - header.utf8.count - 1) + [0x0A]
        bytes.reserveCapacity(bytes.count + 4 * array.values.count)
        for value in array.values {
            let bits = value.bitPattern
            bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        return bytes
    }

    /// Writes an array to `url` (see `encode`).
    /// - Throws: `NPYError.fileAccess` when the file cannot be written.
    public static func write(_ array: NPYArray, to url: URL) throws {
        do {
            try Data(encode(array)).write(to: url)
        } catch {
            throw NPYError.fileAccess(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Product of the dimensions, nil on overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}
