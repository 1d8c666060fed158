/// `builtin_interfaces/msg/Time`: seconds and nanoseconds since a clock's zero.
public struct Time: ROSMessage, Hashable, Comparable {
    /// `builtin_interfaces/msg/Time`
    public static let typeName = "builtin_interfaces/msg/Time"
    /// Text of `msgs/builtin_interfaces/msg/Time.msg`.
    public static let definition = #"""
# Time indicates a specific point in time, relative to a clock's 0 point.

# The seconds component, valid over all int32 values.
int32 sec

# The nanoseconds component, valid in the range [0, 1e9).
uint32 nanosec

"""#
    /// None: only primitives.
    public static let dependencies: [any ROSMessage.Type] = []

    /// Whole seconds.
    public var sec: Int32
    /// Nanoseconds in [0, 1e9).
    public var nanosec: UInt32

    /// A time from its two fields.
    public init(sec: Int32 = 0, nanosec: UInt32 = 0) {
        self.sec = sec
        self.nanosec = nanosec
    }

    /// Splits nanoseconds since the epoch into fields (clamped to the Int32 second range).
    public init(nanoseconds: Int64) {
        let seconds = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let (sec, nanosec) = seconds.remainder < 0
            ? (seconds.quotient - 1, seconds.remainder + 1_000_000_000)
            : (seconds.quotient, seconds.remainder)
        self.init(sec: Int32(clamping: sec), nanosec: UInt32(nanosec))
    }

    /// Nanoseconds since the clock's zero.
    public var nanoseconds: Int64 { Int64(sec) * 1_000_000_000 + Int64(nanosec) }

    /// Earlier time first.
    public static func < (lhs: Time, rhs: Time) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(sec: 0)
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.sec),
        .field(\.nanosec),
    ]
}
