import CZeroMQ

/// A socket option value as libzmq stores it.
enum RawOptionValue {
    case int32(Int32)
    case int64(Int64)

    /// The value as a 64-bit integer, whichever width libzmq used.
    var integer: Int64 {
        switch self {
        case .int32(let number): return Int64(number)
        case .int64(let number): return number
        }
    }
}

/// Converts a typed option value to and from its libzmq representation.
struct OptionCodec<Value> {
    /// The C type libzmq uses for the option.
    enum Kind { case int32, int64 }

    let kind: Kind
    /// Converts a value for libzmq; the label names the option in error text.
    let encode: (Value, String) throws(ZMQError) -> RawOptionValue
    let decode: (RawOptionValue) -> Value
}

extension OptionCodec where Value == Int {
    /// A non-negative `int` count.
    static var count: Self {
        .init(kind: .int32, encode: { (value, label) throws(ZMQError) in
            .int32(try int32(value, label))
        }, decode: { Int($0.integer) })
    }
}

extension OptionCodec where Value == Int? {
    /// A non-negative `int` count where -1 means "not set" (`nil`).
    static var optionalCount: Self {
        .init(kind: .int32, encode: { (value, label) throws(ZMQError) in
            .int32(try value.map { (count) throws(ZMQError) in try int32(count, label) } ?? -1)
        }, decode: { $0.integer < 0 ? nil : Int($0.integer) })
    }

    /// A non-negative `int64_t` byte count where -1 means "no limit" (`nil`).
    static var optionalByteCount: Self {
        .init(kind: .int64, encode: { (value, label) throws(ZMQError) in
            guard let bytes = value else { return .int64(-1) }
            guard bytes >= 0 else { throw .invalidArgument("\(label) must be ≥ 0 or nil, got \(bytes)") }
            return .int64(Int64(bytes))
        }, decode: { $0.integer < 0 ? nil : Int($0.integer) })
    }
}

extension OptionCodec where Value == Duration? {
    /// An `int` in milliseconds (rounded up) where -1 means "forever" (`nil`).
    static var milliseconds: Self { duration(unit: .milliseconds(1)) }

    /// An `int` in whole seconds (rounded up) where -1 means "system default" (`nil`).
    static var seconds: Self { duration(unit: .seconds(1)) }

    private static func duration(unit: Duration) -> Self {
        .init(kind: .int32, encode: { (value, label) throws(ZMQError) in
            guard let duration = value else { return .int32(-1) }
            guard duration >= .zero else {
                throw .invalidArgument("\(label) must be ≥ 0 or nil (forever/default), got \(duration)")
            }
            let units = (duration / unit).rounded(.up)
            return .int32(units >= Double(Int32.max) ? Int32.max : Int32(units))
        }, decode: { raw in
            raw.integer < 0 ? nil : unit * Int(raw.integer)
        })
    }
}

extension OptionCodec where Value == Bool {
    /// An `int` that is 0 or 1.
    static var flag: Self {
        .init(kind: .int32, encode: { (value, _) in .int32(value ? 1 : 0) }, decode: { $0.integer != 0 })
    }
}

extension OptionCodec where Value == TCPKeepalive {
    /// An `int` that is -1 (system default), 0 (off) or 1 (on).
    static var keepalive: Self {
        .init(kind: .int32, encode: { (value, _) in
            switch value {
            case .systemDefault: return .int32(-1)
            case .disabled: return .int32(0)
            case .enabled: return .int32(1)
            }
        }, decode: { raw in
            switch raw.integer {
            case 0: return .disabled
            case 1: return .enabled
            default: return .systemDefault
            }
        })
    }
}

/// Checks that a count fits libzmq's non-negative `int`.
private func int32(_ value: Int, _ label: String) throws(ZMQError) -> Int32 {
    guard value >= 0, let number = Int32(exactly: value) else {
        throw .invalidArgument("\(label) must be between 0 and \(Int32.max), got \(value)")
    }
    return number
}
