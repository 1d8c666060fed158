import ArgumentParser

/// `vla-node bag …`: tools for MCAP bags.
struct BagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bag",
        abstract: "Inspect MCAP bags recorded by vla-node (or any ROS 2 MCAP bag).",
        subcommands: [BagInfoCommand.self, BagRecoverCommand.self]
    )
}
