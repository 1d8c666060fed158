import Yams

/// A command-line override `key.path=value`, e.g. `node.control.rate_hz=10` or
/// `node.acceleration.drop_layers=[3,5]`. The value is read as a YAML scalar, list or mapping (text that
/// is not valid YAML is taken as a plain string) and replaces whatever the file had at that path;
/// missing parent mappings are created. The result is then validated like the file itself.
struct LaunchOverride: Equatable {
    /// The key path segments, e.g. ["node", "control", "rate_hz"].
    let segments: [String]
    /// The value's YAML node.
    let value: Node

    /// The dotted key path.
    var keyPath: String { segments.joined(separator: ".") }

    /// Parses `key.path=value`.
    /// - Throws: `LaunchError.invalidOverride` without `=`, with an empty or malformed key path.
    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw LaunchError.invalidOverride(text, reason: "missing '='")
        }
        let segments = text[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let validSegment = { (segment: String) in
            !segment.isEmpty && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        guard segments.allSatisfy(validSegment) else {
            throw LaunchError.invalidOverride(text, reason: "the key path must be dot-separated names of letters, digits and _")
        }
        let rawValue = String(text[text.index(after: equals)...])
        self.segments = segments
        self.value = ((try? BoundedYAML.compose(rawValue)) ?? nil) ?? Node(rawValue, Tag(.str))
    }

    /// `root` with this override applied.
    /// - Throws: `LaunchError.invalidOverride` when the path runs through a value that is not a mapping.
    func applied(to root: Node?) throws -> Node {
        try Self.set(value, at: segments[...], in: root, override: self)
    }

    private static func set(_ value: Node, at path: ArraySlice<String>, in node: Node?, override: LaunchOverride) throws -> Node {
        guard let key = path.first else { return value }
        var mapping: Node.Mapping
        switch node {
        case .none:
            mapping = Node.Mapping([])
        case .mapping(let existing)?:
            mapping = existing
        case .some(let other):
            guard case .scalar = other, other.null != nil else {
                let parentPath = override.segments[..<path.startIndex].joined(separator: ".")
                let parent = parentPath.isEmpty ? "the document" : parentPath
                throw LaunchError.invalidOverride(
                    "\(override.keyPath)=…", reason: "\(parent) holds \(MappingReader.describe(other)), not a mapping")
            }
            mapping = Node.Mapping([])
        }
        mapping[key] = try set(value, at: path.dropFirst(), in: mapping[key], override: override)
        return .mapping(mapping)
    }
}
