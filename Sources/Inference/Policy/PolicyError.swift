/// Errors of `CogACTPolicy`: inputs a caller can fix.
public enum PolicyError: Error, Equatable, CustomStringConvertible {
    /// The instruction is empty or only whitespace.
    case emptyInstruction
    /// The prompt template in config.json has no `{instruction}` placeholder.
    case promptWithoutPlaceholder(String)
    /// `noise` has the wrong number of values.
    case wrongNoiseSize(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .emptyInstruction:
            return "the instruction is empty: send the task in words, e.g. \"pick coke can\""
        case let .promptWithoutPlaceholder(prompt):
            return "config.json: prompt \(prompt.debugDescription) has no {instruction} placeholder"
        case let .wrongNoiseSize(expected, found):
            return "noise has \(found) values; the action head samples \(expected) (horizon × action_dim)"
        }
    }
}
