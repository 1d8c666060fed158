/// Errors raised while loading a SentencePiece model.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The model file could not be read.
    case fileUnreadable(path: String, reason: String)
    /// The protobuf bytes are truncated or structurally invalid.
    case malformedModel(String)
    /// The model is valid but uses a feature this tokenizer does not implement.
    case unsupportedModel(String)
    /// A piece the tokenizer needs (unknown, BOS, EOS, byte pieces) is missing or has the wrong type.
    case missingPiece(String)

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason):
            return "cannot read tokenizer model \(path): \(reason)"
        case let .malformedModel(detail):
            return "malformed SentencePiece model (is this a tokenizer.model file?): \(detail)"
        case let .unsupportedModel(detail):
            return "unsupported SentencePiece model: \(detail); only LLaMA-style BPE models are supported"
        case let .missingPiece(detail):
            return "SentencePiece model lacks a required piece: \(detail)"
        }
    }
}
