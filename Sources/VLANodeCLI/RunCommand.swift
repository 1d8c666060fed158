import ArgumentParser
import Foundation
import Logging
import VLANode

/// `vla-node run`: the node. Loads a launch file, the policy and the sockets, then runs until SIGINT or
/// SIGTERM (or `--duration`), and exits 0 after a clean shutdown.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the node: camera and instruction topics in, action chunks at a fixed rate and latency out.",
        discussion: """
            Override any launch-file key as key.path=value, e.g. node.control.rate_hz=3 \
            node.topics.camera.connect=tcp://10.0.0.5:5555. SIGINT or SIGTERM stops the node cleanly \
            (bag finished, sockets closed) and prints the latency summary; a second signal exits at once.
            OpenBLAS reads OPENBLAS_THREAD_TIMEOUT only when it loads, so when it is unset the command \
            sets it to 4 (idle BLAS workers sleep at once instead of spinning ~0.1 s on the control core) \
            and re-executes itself; set it yourself to choose another value. It does the same with \
            OPENBLAS_CORETYPE when OpenBLAS fell back to kernels older than the CPU's features.
            """
    )

    @Option(help: "The launch file (YAML), e.g. launch/demo.yaml.")
    var launch: String

    @Argument(help: "Launch-file overrides, key.path=value.")
    var overrides: [String] = []

    @OptionGroup
    var duration: DurationOption

    func run() throws {
        BLASEnvironment.prepare(idleWorkersSleep: true)
        let configuration: LaunchConfiguration
        do {
            configuration = try LaunchLoader.load(path: launch, overrides: overrides)
        } catch {
            printStatus("error: \(error)")
            throw ExitCode(2)
        }
        try runNode(configuration)
    }

    private func runNode(_ configuration: LaunchConfiguration) throws {
        var logger = Logger(label: "vla-node")
        logger.logLevel = configuration.logLevel
        let stop = StopSignal()
        let node: NodeRuntime
        do {
            node = try NodeRuntime(configuration: configuration, logger: logger)
            try node.start()
        } catch {
            printStatus("error: \(error)")
            throw ExitCode(2)
        }
        let deadline = duration.deadline()
        while !stop.isRequested, !deadline.hasPassed {
            Thread.sleep(forTimeInterval: 0.05)
        }
        logger.info("stopping")
        let summary = node.stop()
        logger.info("final stats: \(summary.line)")
    }
}
