import Foundation

/// The built `vla-node` executable, for tests that run the command line as a user would.
public enum VLANodeExecutable {
    /// Errors locating or running the executable.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and what to run first.
        public let description: String
    }

    /// The executable in the build products directory (next to the test bundle); `swift build
    /// --build-tests` builds it together with the tests.
    public static func url() throws -> URL {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        for directory in candidates {
            let url = directory.appendingPathComponent("vla-node")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure(description: "vla-node executable not found next to the test bundle; run `swift build --build-tests` first")
    }

    /// Runs `vla-node arguments` to completion and returns its exit status, standard output and error.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Drain both pipes at once before waiting: reading one to its end first would deadlock once the
        // child fills the other pipe's buffer.
        let errorDrain = PipeDrain(error)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorDrain.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeDrain: @unchecked Sendable {  // `data` is written before `done` signals, read after
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// The pipe's bytes, once the writer has closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
