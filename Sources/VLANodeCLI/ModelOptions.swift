import ArgumentParser
import Foundation
import Inference

/// `--model` and `--threads`, shared by the commands that load a model directory (`calibrate`, `predict`).
struct ModelOptions: ParsableArguments {
    @Option(help: "Model directory (config.json, model.safetensors, tokenizer.model, dataset_statistics.json).")
    var model: String

    @OptionGroup
    var blas: BLASThreadsOption

    /// Loads the policy from `--model` with `--threads` BLAS threads and the given EfficientVLA settings.
    func loadPolicy(acceleration: AccelerationSettings = .dense) throws -> CogACTPolicy {
        try CogACTPolicy(directory: URL(fileURLWithPath: model),
                         options: EngineOptions(blasThreads: blas.threads, acceleration: acceleration))
    }
}
