import Digest
import Foundation
import Inference
import Logging

extension NodeRuntime {
    /// Loads the CogACT policy named by `configuration` (see `PolicyLoader`) and prepares the node.
    /// - Throws: `NodeError` with what to fix.
    public convenience init(configuration: LaunchConfiguration, logger: Logger = Logger(label: "vla-node")) throws {
        let loadStart = Date()
        let policy = try PolicyLoader.load(configuration)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let runner = CogACTPolicyRunner(policy: policy, cameraType: configuration.topics.cameraType,
                                        unnormKey: configuration.model.unnormKey)
        let acceleration = runner.acceleration
        logger.info("""
            model \(configuration.model.directory): LLM layers \(acceleration.llmLayersKept)/\(acceleration.llmLayersTotal), \
            visual tokens \(acceleration.visualTokensKept)/\(acceleration.visualTokensTotal), \
            \(acceleration.diffusionSteps) DDIM steps (DiT cache interval \(acceleration.cacheInterval)); \(policy.temporalReuse.summary); \
            \(BLASInfo.current) of \(BLAS.onlineCores) cores
            """)
        let threads = EngineSettings.blasThreads(requested: configuration.threads)
        if threads >= BLAS.onlineCores {
            logger.warning("node.threads: \(threads) BLAS threads on \(BLAS.onlineCores) cores leave no core for the control, ingress and ZeroMQ threads; expect tick jitter (use cores − 1)")
        }
        let config = policy.model.config
        let configFile = URL(fileURLWithPath: configuration.model.directory).appendingPathComponent("config.json")
        let model = ModelDescription(
            directory: configuration.model.directory,
            configSHA256: (try? Data(contentsOf: configFile)).map { SHA256.hexDigest(Array($0)) } ?? "",
            loadSeconds: loadSeconds, horizon: config.action.horizon, actionDimension: config.action.actionDim,
            unnormKey: configuration.model.unnormKey,
            statistics: try policy.model.statistics.action(for: configuration.model.unnormKey),
            temporalReuse: configuration.acceleration.temporalReuse)
        try self.init(configuration: configuration, runner: runner, acceleration: acceleration, model: model, logger: logger)
    }
}
