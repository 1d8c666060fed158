import Foundation

/// Prints a status line to standard error.
func log(_ line: String) {
    FileHandle.standardError.write(Data(("vla-node: " + line + "\n").utf8))
}
