import Yams

/// Reads one YAML mapping of the launch schema strictly: only the allowed keys, each once, with typed
/// accessors that report the full key path and the offending value. An explicit null (`key: ~` or
/// `key:`) counts as absent.
struct MappingReader {
    /// The key path of this mapping, e.g. `node.control` (empty for the document root).
    let path: String
    let source: LaunchSource
    private let entries: [String: Node]

    /// `removedKeys` maps keys that older launch files used to what to write instead.
    /// - Throws: `LaunchError` if `node` is not a mapping, has non-string, duplicate, removed or unknown keys.
    init(_ node: Node, path: String, source: LaunchSource, allowedKeys: [String], removedKeys: [String: String] = [:]) throws {
        self.path = path
        self.source = source
        guard case .mapping(let mapping) = node else {
            throw LaunchError.invalidValue(source: source.name(for: path), key: path.isEmpty ? "the document" : path,
                                           expected: "a mapping of " + allowedKeys.joined(separator: ", "),
                                           found: Self.describe(node))
        }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw LaunchError.invalidValue(source: source.name(for: path), key: path.isEmpty ? "the document" : path,
                                               expected: "plain keys", found: Self.describe(keyNode))
            }
            let key = keyScalar.string
            let keyPath = Self.join(path, key)
            if let instead = removedKeys[key] {
                throw LaunchError.removedKey(source: source.name(for: keyPath), key: keyPath, instead: instead)
            }
            guard allowedKeys.contains(key) else {
                throw LaunchError.unknownKey(source: source.name(for: keyPath), key: keyPath, allowed: allowedKeys)
            }
            guard entries[key] == nil else {
                throw LaunchError.duplicateKey(source: source.name(for: keyPath), key: keyPath)
            }
            entries[key] = value
        }
        self.entries = entries
    }

    /// The full path of a key in this mapping.
    func keyPath(_ key: String) -> String {
        Self.join(path, key)
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// Whether the key is present with a non-null value.
    func contains(_ key: String) -> Bool {
        value(key) != nil
    }

    /// The nested mapping at `key`, or nil if absent (`removedKeys` as in `init`).
    func mapping(_ key: String, allowedKeys: [String], removedKeys: [String: String] = [:]) throws -> MappingReader? {
        guard let node = value(key) else { return nil }
        return try MappingReader(node, path: keyPath(key), source: source, allowedKeys: allowedKeys, removedKeys: removedKeys)
    }

    /// Converts the value at `key` with `convert`, or returns nil if absent.
    /// - Throws: `LaunchError.invalidValue` naming `expected` when `convert` returns nil.
    func parse<Value>(_ key: String, expected: String, _ convert: (Node) -> Value?) throws -> Value? {
        guard let node = value(key) else { return nil }
        guard let converted = convert(node) else { throw invalidValue(key, expected: expected, found: node) }
        return converted
    }

    /// A non-empty string.
    func string(_ key: String) throws -> String? {
        try parse(key, expected: "a non-empty string", Self.nonEmptyString)
    }

    /// A non-empty string that must be present.
    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key) else { throw missing(key) }
        return value
    }

    /// A finite number > 0.
    func positiveNumber(_ key: String) throws -> Double? {
        try parse(key, expected: "a positive number") { node in node.float.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }
    }

    /// An integer ≥ `minimum`.
    func integer(_ key: String, atLeast minimum: Int) throws -> Int? {
        let expected = minimum == 1 ? "a positive integer" : "an integer ≥ \(minimum)"
        return try parse(key, expected: expected) { node in node.int.flatMap { $0 >= minimum ? $0 : nil } }
    }

    /// One of `options` (case-sensitive).
    func choice(_ key: String, options: [String]) throws -> String? {
        try parse(key, expected: "one of " + options.joined(separator: ", ")) { node in
            node.scalar.map(\.string).flatMap { options.contains($0) ? $0 : nil }
        }
    }

    /// The error for a present value that does not fit.
    func invalidValue(_ key: String, expected: String, found node: Node) -> LaunchError {
        .invalidValue(source: source.name(for: keyPath(key)), key: keyPath(key), expected: expected, found: Self.describe(node))
    }

    /// The error for an absent required key.
    func missing(_ key: String) -> LaunchError {
        .missingKey(source: source.name(for: keyPath(key)), key: keyPath(key))
    }

    /// The error for keys of this mapping that cannot be combined.
    func conflict(_ key: String, _ reason: String) -> LaunchError {
        .conflict(source: source.name(for: keyPath(key)), key: keyPath(key), reason: reason)
    }

    private func value(_ key: String) -> Node? {
        guard let node = entries[key], !Self.isNull(node) else { return nil }
        return node
    }

    /// The text of a non-empty scalar, or nil.
    static func nonEmptyString(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { return nil }
        return scalar.string
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .any || scalar.style == .plain else { return false }
        return node.null != nil
    }

    /// How a found value is shown in an error: scalars in quotes, collections by kind.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            return isNull(node) ? "nothing" : "\"\(scalar.string)\""
        case .mapping:
            return "a mapping"
        case .sequence:
            return "a list"
        }
    }
}
