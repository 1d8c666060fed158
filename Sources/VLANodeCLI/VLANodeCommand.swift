import ArgumentParser
import VLANode

/// The root of the `vla-node` command line: each subcommand lives in its own file.
@main
struct VLANodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vla-node",
        abstract: "Run a CogACT vision-language-action policy on CPUs and serve it over ZeroMQ.",
        version: ProductVersion.string,
        subcommands: [RunCommand.self, PredictCommand.self, EchoCommand.self, BenchCommand.self, CalibrateCommand.self, BagCommand.self,
                      RecordCommand.self, ReplayCommand.self]
    )
}
