/// One field of a message, in `.msg` order: how it is written from and read into the message. A type
/// lists its fields once (`ROSMessage.cdrFields`) and that one list drives both encoding and decoding,
/// so the two directions cannot disagree on order or kind. (`@unchecked Sendable`: the closures capture
/// only an immutable key path.)
public struct CDRField<Message>: @unchecked Sendable {
    let encode: (Message, inout CDRWriter) -> Void
    let decode: (inout Message, inout CDRReader) throws -> Void

    /// A fixed-size primitive (`int32`, `float64`, …), aligned to its size.
    public static func field<T: CDRPrimitive>(_ path: WritableKeyPath<Message, T>) -> CDRField {
        CDRField(encode: { $1.write($0[keyPath: path]) }, decode: { $0[keyPath: path] = try $1.read() })
    }

    /// A `string`.
    public static func field(_ path: WritableKeyPath<Message, String>) -> CDRField {
        CDRField(encode: { $1.write($0[keyPath: path]) }, decode: { $0[keyPath: path] = try $1.readString() })
    }

    /// A nested message (no alignment of its own).
    public static func field<M: ROSMessage>(_ path: WritableKeyPath<Message, M>) -> CDRField {
        CDRField(encode: { $1.write($0[keyPath: path]) }, decode: { $0[keyPath: path] = try $1.read() })
    }

    /// An unbounded sequence of primitives (`T[]`).
    public static func field<T: CDRPrimitive>(_ path: WritableKeyPath<Message, [T]>) -> CDRField {
        CDRField(encode: { $1.writeSequence($0[keyPath: path]) }, decode: { $0[keyPath: path] = try $1.readSequence() })
    }

    /// A sequence of strings (`string[]`).
    public static func field(_ path: WritableKeyPath<Message, [String]>) -> CDRField {
        CDRField(encode: { $1.writeSequence($0[keyPath: path]) },
                 decode: { $0[keyPath: path] = try $1.readStringSequence() })
    }
}
