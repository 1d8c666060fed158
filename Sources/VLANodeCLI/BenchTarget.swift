import Foundation
import Inference

/// What the per-stage `vla-node bench` runs: a preset on random weights with the bench's prompt, or
/// (`--model DIR`) a model directory with its own weights and the bench's instruction through its
/// own tokenizer.
struct BenchTarget {
    /// The preset's name, or the directory's path.
    let name: String
    /// The architecture.
    let config: ModelConfig
    /// The prompt's ids.
    let inputIDs: [Int32]
    /// The model directory, nil for a preset.
    let directory: URL?

    /// A preset with `BenchCommand.inputIDs`.
    static func preset(_ preset: ModelPreset) -> BenchTarget {
        BenchTarget(name: preset.rawValue, config: preset.config, inputIDs: BenchCommand.inputIDs, directory: nil)
    }

    /// The model in `path`: its config.json, and "pick coke can" in its prompt format and tokenizer.
    static func model(_ path: String) throws -> BenchTarget {
        let directory = URL(fileURLWithPath: path)
        let config = try ModelConfig.load(from: directory.appendingPathComponent("config.json"))
        let tokenizer = try SentencePieceTokenizer(contentsOf: directory.appendingPathComponent("tokenizer.model"))
        let ids = try PromptBuilder(config: config, tokenizer: tokenizer).inputIDs(for: "pick coke can")
        return BenchTarget(name: path, config: config, inputIDs: ids, directory: directory)
    }
}
