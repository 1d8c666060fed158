import CZeroMQ

/// A libzmq version number.
public struct LibraryVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Incremented on incompatible API changes.
    public let major: Int
    /// Incremented on compatible feature additions.
    public let minor: Int
    /// Incremented on bug fixes.
    public let patch: Int

    /// Creates a version from its three components.
    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public static func < (lhs: LibraryVersion, rhs: LibraryVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

/// The version of the libzmq library loaded at run time (`zmq_version`), read as `ZMQ.version`.
public var version: LibraryVersion {
    var major: Int32 = 0
    var minor: Int32 = 0
    var patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return LibraryVersion(major: Int(major), minor: Int(minor), patch: Int(patch))
}
