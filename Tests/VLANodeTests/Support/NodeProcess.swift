import Foundation
import TestSupport
import XCTest

/// `vla-node run --launch <yaml>` as a subprocess (the binary `swift build --build-tests` puts next to
/// the test bundle), with its standard error captured in a file.
final class NodeProcess {
    let process = Process()
    /// The node's standard error (its log).
    let log: URL

    /// Writes `yaml` to `directory/launch.yaml` and starts the node on it.
    init(yaml: String, directory: URL) throws {
        let launch = directory.appendingPathComponent("launch.yaml")
        try yaml.write(to: launch, atomically: true, encoding: .utf8)
        log = directory.appendingPathComponent("node.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = try VLANodeExecutable.url()
        process.arguments = ["run", "--launch", launch.path]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Kills the node if it still runs (call from a `defer`).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// What the node has logged so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// True once the node exited, false after `seconds`.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !process.isRunning
    }

    /// True once the log contains `text`; false after `seconds` or when the node exits first.
    func waitForLine(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, process.isRunning {
            if output.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// A fresh directory, removed when `test` ends.
    static func temporaryDirectory(for test: XCTestCase, name: String) throws -> URL {
        let directory = TestPaths.temporary(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }
}
