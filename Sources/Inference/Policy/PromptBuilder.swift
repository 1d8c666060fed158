/// Turns an instruction into CogACT's token ids:
/// `[BOS] + sp(prompt with the lower-cased instruction) + cognition_suffix_ids`.
public struct PromptBuilder: Sendable {
    /// Template with an `{instruction}` placeholder (config.json `prompt`).
    public let template: String
    /// Ids appended after the prompt; the last is the cognition token.
    public let suffixIDs: [Int32]
    /// The tokenizer of the checkpoint.
    public let tokenizer: SentencePieceTokenizer

    static let placeholder = "{instruction}"

    /// A builder for `config`'s template and suffix.
    public init(config: ModelConfig, tokenizer: SentencePieceTokenizer) throws {
        guard config.prompt.contains(Self.placeholder) else { throw PolicyError.promptWithoutPlaceholder(config.prompt) }
        template = config.prompt
        suffixIDs = config.cognitionSuffixIDs.map(Int32.init)
        self.tokenizer = tokenizer
    }

    /// The prompt text for `instruction` (trimmed and lower-cased, as CogACT's `predict_action` does).
    public func prompt(for instruction: String) throws -> String {
        let task = instruction.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !task.isEmpty else { throw PolicyError.emptyInstruction }
        return template.replacingOccurrences(of: Self.placeholder, with: task.lowercased())
    }

    /// The model's input ids for `instruction`.
    public func inputIDs(for instruction: String) throws -> [Int32] {
        [tokenizer.bosID] + tokenizer.encode(try prompt(for: instruction)) + suffixIDs
    }
}
