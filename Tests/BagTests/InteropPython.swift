import Foundation
import Messages

/// Runs the Python scripts in tools/interop with the interpreter named by `VLA_INTEROP_PYTHON`.
enum InteropPython {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let setupHelp = """
        VLA_INTEROP_PYTHON is not set. The interop tests compare against the Python `mcap` and `rosbags` \
        packages; set up a venv and point the variable at its python:
          python3 -m venv /tmp/vla-interop-venv
          /tmp/vla-interop-venv/bin/pip install -r tools/interop/requirements.txt
          export VLA_INTEROP_PYTHON=/tmp/vla-interop-venv/bin/python
        """

    /// Runs `tools/interop/<script>` with `arguments` and returns its standard output.
    static func run(_ script: String, _ arguments: [String]) throws -> Data {
        guard let python = ProcessInfo.processInfo.environment["VLA_INTEROP_PYTHON"], !python.isEmpty else {
            throw Failure(description: setupHelp)
        }
        let scripts = packageRoot.appendingPathComponent("tools/interop")
        let stderrURL = temporaryURL("stderr.txt")
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

    /// A unique path in the temporary directory.
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vla-interop-\(UUID().uuidString)-\(name)")
    }

    /// A message as JSON keyed by .msg field names (snake_case), as the Python scripts expect.
    static func json<M: ROSMessage>(_ message: M) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(message), as: UTF8.self)
    }

    /// A message of `type` from JSON keyed by .msg field names.
    static func message<M: ROSMessage>(_ type: M.Type, json: String) throws -> M {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(M.self, from: Data(json.utf8))
    }

    /// A JSON string literal.
    static func quoted(_ string: String) throws -> String {
        String(decoding: try JSONEncoder().encode(string), as: UTF8.self)
    }

    static func bytes(hex: String) throws -> [UInt8] {
        guard hex.count % 2 == 0 else { throw Failure(description: "odd-length hex") }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw Failure(description: "bad hex \(hex[index..<next])") }
            result.append(byte)
            index = next
        }
        return result
    }
}
