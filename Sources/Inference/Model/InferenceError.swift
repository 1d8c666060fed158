/// Errors caused by the inputs of an inference call.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    /// An input array has the wrong number of elements.
    case wrongInputSize(name: String, expected: Int, found: Int)
    /// A token id is outside the embedding table.
    case tokenOutOfRange(id: Int32, vocab: Int)
    /// The token list is empty (at least BOS is required).
    case emptyTokenList
    /// A DDIM step count has no matching timestep stride.
    case unsupportedStepCount(Int, diffusionSteps: Int)
    /// The LLM input is longer than `LlamaModel.maximumSequenceLength` rows.
    case sequenceTooLong(rows: Int, maximum: Int)
    /// The action inpainting does not fit the chunk (see `ActionInpainting`).
    case invalidInpainting(String)

    public var description: String {
        switch self {
        case let .wrongInputSize(name, expected, found):
            return "\(name) has \(found) values, expected \(expected)"
        case let .tokenOutOfRange(id, vocab):
            return "token id \(id) is outside the vocabulary of \(vocab) rows"
        case .emptyTokenList:
            return "input ids are empty; at least the BOS token is required"
        case let .unsupportedStepCount(steps, diffusionSteps):
            return "no uniform stride gives \(steps) DDIM steps out of \(diffusionSteps); choose another step count"
        case let .sequenceTooLong(rows, maximum):
            return "the LLM input has \(rows) positions (image patches + prompt tokens), more than the \(maximum) LLaMA-2 supports; "
                + "shorten the instruction"
        case let .invalidInpainting(reason):
            return "action inpainting: \(reason)"
        }
    }
}
