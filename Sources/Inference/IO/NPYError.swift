/// Errors raised while reading or writing NumPy `.npy` files.
public enum NPYError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or written.
    case fileAccess(path: String, reason: String)
    /// The bytes do not start with the `\x93NUMPY` magic.
    case notNPY
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The header is truncated or is not the expected Python dict literal.
    case malformedHeader(String)
    /// An array dtype other than little-endian float32 (`<f4`).
    case unsupportedDType(String)
    /// A Fortran-ordered (column-major) array.
    case fortranOrder
    /// The data section does not hold exactly `shape.product × 4` bytes.
    case dataSizeMismatch(expectedBytes: Int, actualBytes: Int)
    /// An `NPYArray` whose value count does not match its shape.
    case shapeMismatch(shape: [Int], valueCount: Int)

    public var description: String {
        switch self {
        case let .fileAccess(path, reason):
            return "cannot access .npy file \(path): \(reason)"
        case .notNPY:
            return "not a NumPy .npy file (missing \\x93NUMPY magic)"
        case let .unsupportedVersion(major, minor):
            return "unsupported .npy format version \(major).\(minor); expected 1.0, 2.0 or 3.0"
        case let .malformedHeader(detail):
            return "malformed .npy header: \(detail)"
        case let .unsupportedDType(descr):
            return "unsupported .npy dtype '\(descr)': only little-endian float32 ('<f4') is supported; convert with arr.astype('<f4')"
        case .fortranOrder:
            return "Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray(arr)"
        case let .dataSizeMismatch(expected, actual):
            return ".npy data section has \(actual) bytes, expected \(expected) for the declared shape"
        case let .shapeMismatch(shape, count):
            guard shape.allSatisfy({ $0 >= 0 }), let needed = NPY.elementCount(shape) else {
                return "shape \(shape) is invalid: dimensions must be non-negative and their product must fit in Int"
            }
            return "shape \(shape) needs \(needed) values, got \(count)"
        }
    }
}
