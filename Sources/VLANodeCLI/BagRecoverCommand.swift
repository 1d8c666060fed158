import ArgumentParser
import Bag

/// `vla-node bag recover IN -o OUT`: rebuilds a bag whose writer was killed.
struct BagRecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Rebuild a damaged or unfinished bag: keep every complete chunk, write a new summary and footer."
    )

    @Argument(help: "The damaged MCAP file (read only).")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the recovered bag (must differ from the input).")
    var output: String

    func validate() throws {
        guard file != output else { throw ValidationError("--output must be a different file than the input") }
    }

    func run() throws {
        do {
            let options = MCAPWriter.Options(fileName: output.split(separator: "/").last.map(String.init))
            let report = try BagRecovery.recover(input: MCAPFileInput(path: file), to: MCAPFileOutput(path: output),
                                                 options: options)
            let stop: String
            switch report.end {
            case .truncated(let offset)?: stop = "input truncated at byte \(offset)"
            case .endOfInput?: stop = "input ended without DataEnd"
            case .dataEnd?, nil: stop = "input data section was complete"
            }
            print("recovered \(report.messageCount) messages from \(report.chunkCount) complete chunks (\(stop)) into \(output)")
        } catch let error as MCAPError {
            throw BagFileError(file: file, underlying: error)
        }
    }
}
