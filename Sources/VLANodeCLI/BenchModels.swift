import Inference

/// The models of one `vla-node bench` run: every model is built from one set of random
/// weights generated once in the bench's weight type and shared (`SharedWeights`), so a pruned
/// variant next to the dense model costs no weight memory.
final class BenchModels {
    /// Architecture of every model.
    let config: ModelConfig
    /// Element type the random matrices are generated and kept in.
    let dtype: WeightDType
    private let weights: SharedWeights
    private let blasThreads: Int?

    init(config: ModelConfig, dtype: WeightDType, blasThreads: Int?) {
        self.config = config
        self.dtype = dtype
        self.blasThreads = blasThreads
        weights = SharedWeights(RandomWeights(dtype: dtype))
    }

    /// A model with `settings`, and the stored bytes of the weight matrices it uses: what it
    /// would hold resident on its own.
    func build(_ settings: AccelerationSettings) throws -> (model: CogACTModel, weightBytes: Int) {
        let usage = weights.usage()
        let model = try CogACTModel(config: config, weights: usage, statistics: BenchCommand.statistics,
                                    options: EngineOptions(blasThreads: blasThreads, acceleration: settings))
        return (model, usage.matrixBytes)
    }
}
