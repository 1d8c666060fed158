import ArgumentParser
import Bag

/// `vla-node bag info FILE`: topics, types, counts, time span, compression and size.
struct BagInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print a bag's topics, types, message counts, time span, compression and size.",
        discussion: "Reads the summary at the end of the file; an unfinished bag (writer killed) is scanned instead, and every complete chunk is counted."
    )

    @Argument(help: "The MCAP file.")
    var file: String

    func run() throws {
        do {
            let info = try BagInfo(input: MCAPFileInput(path: file))
            print("Files:             \(file)")
            print(info)
        } catch let error as MCAPError {
            throw BagFileError(file: file, underlying: error)
        }
    }
}

/// A bag that could not be read, named in the message the user sees.
struct BagFileError: Error, CustomStringConvertible {
    /// The file given on the command line.
    let file: String
    /// What went wrong.
    let underlying: MCAPError

    var description: String { "\(file): \(underlying)" }
}
