import Foundation

/// Prints a status line, prefixed `vla-node: `, to standard error.
func printStatus(_ line: String) {
    FileHandle.standardError.write(Data(("vla-node: " + line + "\n").utf8))
}
