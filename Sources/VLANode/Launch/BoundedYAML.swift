import Yams

/// YAML composition with limits, so that a corrupt or hostile launch file gets an error instead of
/// crashing the node: Yams composes recursively (a few thousand nested `{` overflow the stack) and
/// expands aliases into copies (nested aliases grow exponentially).
///
/// The text is scanned once before Yams sees it, outside quoted scalars and comments: flow
/// collections may nest `maximumFlowDepth` deep, a line's indentation plus its leading block
/// indicators (`- `, `? `) may reach `maximumBlockDepth`, and at most `maximumAliases` aliases may
/// appear. Launch files need a depth of 4 and no aliases.
enum BoundedYAML {
    /// Why a text was refused before parsing.
    struct LimitExceeded: Error, CustomStringConvertible {
        /// What was exceeded, and where.
        let description: String
    }

    static let maximumBytes = 1 << 20
    static let maximumFlowDepth = 64
    static let maximumBlockDepth = 256
    static let maximumAliases = 32

    /// The composed document (nil when empty).
    /// - Throws: `LimitExceeded`, or Yams' error for invalid YAML.
    static func compose(_ text: String) throws -> Node? {
        try checkLimits(text)
        return try Yams.compose(yaml: text)
    }

    /// Throws `LimitExceeded` when `text` is larger, deeper or holds more aliases than allowed.
    static func checkLimits(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else {
            throw LimitExceeded(description: "\(bytes.count) bytes; a launch file may have at most \(maximumBytes)")
        }
        var scanner = Scanner()
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if let problem = scanner.scan(line) { throw LimitExceeded(description: "line \(index + 1): \(problem)") }
        }
    }

    /// Carries the quoting and flow state from line to line (quoted scalars and flow collections may span lines).
    private struct Scanner {
        private var flowDepth = 0
        private var aliases = 0
        private var quote: UInt8?  // the open quote character, if inside a quoted scalar

        /// Scans one line; returns the limit it breaks, if any.
        mutating func scan(_ line: ArraySlice<UInt8>) -> String? {
            if quote == nil, flowDepth == 0, blockDepth(of: line) > BoundedYAML.maximumBlockDepth {
                return "nested deeper than \(BoundedYAML.maximumBlockDepth) levels"
            }
            var previous = UInt8(ascii: " ")
            var iterator = line.makeIterator()
            while let byte = iterator.next() {
                defer { previous = byte }
                if let open = quote {
                    if byte == UInt8(ascii: "\\"), open == UInt8(ascii: "\"") { _ = iterator.next() } else if byte == open { quote = nil }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\"") where Self.isSeparator(previous), UInt8(ascii: "'") where Self.isSeparator(previous):
                    quote = byte
                case UInt8(ascii: "#") where Self.isSeparator(previous): return nil  // the rest is a comment
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if flowDepth > BoundedYAML.maximumFlowDepth { return "brackets nested deeper than \(BoundedYAML.maximumFlowDepth) levels" }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
                case UInt8(ascii: "*") where Self.isSeparator(previous):
                    aliases += 1
                    if aliases > BoundedYAML.maximumAliases { return "more than \(BoundedYAML.maximumAliases) aliases" }
                default: break
                }
            }
            return nil
        }

        /// Leading spaces plus leading `- ` / `? ` block indicators.
        private func blockDepth(of line: ArraySlice<UInt8>) -> Int {
            var depth = 0
            var index = line.startIndex
            while index < line.endIndex {
                let byte = line[index]
                let next = index + 1 < line.endIndex ? line[index + 1] : UInt8(ascii: " ")
                if byte == UInt8(ascii: " ") {
                    depth += 1
                } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?"), Self.isSeparator(next) {
                    depth += 1
                } else {
                    break
                }
                index += 1
            }
            return depth
        }

        private static func isSeparator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\r")
        }
    }
}
