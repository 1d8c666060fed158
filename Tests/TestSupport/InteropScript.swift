import Foundation

/// Runs the Python scripts in tools/interop with the interpreter named by `VLA_INTEROP_PYTHON`.
public enum InteropScript {
    /// A script that could not run or exited non-zero (with its standard error).
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and how to set up the interpreter.
        public let description: String

        /// A failure saying `description`.
        public init(description: String) {
            self.description = description
        }
    }

    /// The package root, from this file's location.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// How to provide the interpreter.
    public static let setupHelp = """
        VLA_INTEROP_PYTHON is not set. The interop tests compare against the Python `mcap` and `rosbags` \
        packages; set up a venv and point the variable at its python:
          python3 -m venv /tmp/vla-interop-venv
          /tmp/vla-interop-venv/bin/pip install -r tools/interop/requirements.txt
          export VLA_INTEROP_PYTHON=/tmp/vla-interop-venv/bin/python
        """

    /// Runs `tools/interop/<script>` with `arguments` and returns its standard output.
    /// - Throws: `Failure` without `VLA_INTEROP_PYTHON`, when the interpreter cannot start, or when the
    ///   script exits non-zero.
    public static func run(_ script: String, _ arguments: [String]) throws -> Data {
        guard let python = ProcessInfo.processInfo.environment["VLA_INTEROP_PYTHON"], !python.isEmpty else {
            throw Failure(description: setupHelp)
        }
        let scripts = packageRoot.appendingPathComponent("tools/interop")
        let stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent("vla-interop-\(UUID().uuidString)-stderr.txt")
        defer { try? FileManager.default.removeItem(at: stderrURL) }
        guard FileManager.default.createFile(atPath: stderrURL.path, contents: nil) else {
            throw Failure(description: "cannot create \(stderrURL.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scripts.appendingPathComponent(script).path] + arguments
        process.currentDirectoryURL = scripts
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(python) (\(error)); \(setupHelp)")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) \(arguments.joined(separator: " ")) exited \(process.terminationStatus):\n\(stderr)")
        }
        return output
    }
}
