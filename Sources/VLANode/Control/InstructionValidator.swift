/// Checks an instruction received on the instruction topic before it reaches the policy.
public enum InstructionValidator {
    /// The largest accepted instruction, in UTF-8 bytes, before trimming.
    public static let maximumBytes = 1024

    /// Returns the instruction with leading and trailing whitespace removed.
    /// - Throws: `InstructionRejection.empty`, `.whitespaceOnly`, or `.tooLong` (more than
    ///   `maximumBytes` UTF-8 bytes as received).
    public static func validate(_ text: String) throws -> String {
        let bytes = text.utf8.count
        guard bytes > 0 else { throw InstructionRejection.empty }
        guard bytes <= maximumBytes else { throw InstructionRejection.tooLong(bytes: bytes, limit: maximumBytes) }
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw InstructionRejection.whitespaceOnly }
        return trimmed
    }
}

/// Why an instruction was refused; the node logs it and keeps the previous instruction.
public enum InstructionRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The instruction is the empty string.
    case empty
    /// The instruction holds only whitespace.
    case whitespaceOnly
    /// The instruction is longer than the limit.
    case tooLong(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty:
            return "instruction rejected: it is empty; publish a task such as \"pick up the red cup\""
        case .whitespaceOnly:
            return "instruction rejected: it contains only whitespace"
        case .tooLong(let bytes, let limit):
            return "instruction rejected: \(bytes) bytes is longer than the \(limit)-byte limit"
        }
    }
}

extension String {
    /// The string without leading or trailing Unicode whitespace and newlines.
    fileprivate func trimmingWhitespace() -> String {
        let characters = Substring(self)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
              let last = characters.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(characters[first...last])
    }
}
