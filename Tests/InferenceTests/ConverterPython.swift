import Foundation

/// Runs `tools/convert/convert_cogact.py` (and its pytest suite) with the interpreter named by
/// `VLA_INTEROP_PYTHON`, which scripts/test.sh sets up with numpy, pytest and safetensors.
enum ConverterPython {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The package root, resolved from this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/InferenceTests/ConverterFixtures")
    static let miniCheckpoint = fixtures.appendingPathComponent("cogact-mini.pt")
    static let expectedValues = fixtures.appendingPathComponent("cogact-mini-expected.safetensors")
    /// Head counts of the tiny model; the converter's defaults assume the released head sizes.
    static let tinyHeads = ["--set", "vision.dino.heads=4", "--set", "vision.siglip.heads=4",
                            "--set", "llm.heads=4", "--set", "action.heads=4"]

    static let setupHelp = """
        VLA_INTEROP_PYTHON is not set. The converter tests run tools/convert/convert_cogact.py; set up a venv \
        and point the variable at its python (scripts/test.sh does this):
          python3 -m venv /tmp/vla-interop-venv
          /tmp/vla-interop-venv/bin/pip install -r tools/interop/requirements.txt
          export VLA_INTEROP_PYTHON=/tmp/vla-interop-venv/bin/python
        """

    /// Converts `checkpoint` (default: the mini fixture) with the tiny model's statistics and tokenizer
    /// into a fresh temporary directory; returns it. Throws when the converter exits non-zero.
    static func convert(checkpoint: URL = miniCheckpoint, _ extra: [String] = []) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vla-convert-\(UUID().uuidString)")
        let result = try run(["tools/convert/convert_cogact.py", "--checkpoint", checkpoint.path,
                              "--statistics", Fixture.modelDirectory.appendingPathComponent("dataset_statistics.json").path,
                              "--tokenizer", Fixture.modelDirectory.appendingPathComponent("tokenizer.model").path,
                              "--out", out.path] + tinyHeads + extra)
        guard result.status == 0 else {
            throw Failure(description: "convert_cogact.py exited \(result.status):\n\(result.error)")
        }
        return out
    }

    /// Runs the interop python with `arguments` in the package root.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        guard let python = ProcessInfo.processInfo.environment["VLA_INTEROP_PYTHON"], !python.isEmpty else {
            throw Failure(description: setupHelp)
        }
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("vla-convert-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let stdoutURL = logs.appendingPathComponent("stdout"), stderrURL = logs.appendingPathComponent("stderr")
        for url in [stdoutURL, stderrURL] {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw Failure(description: "cannot create \(url.path)")
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(python) (\(error)); \(setupHelp)")
        }
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: stdoutURL, encoding: .utf8),
                try String(contentsOf: stderrURL, encoding: .utf8))
    }
}
