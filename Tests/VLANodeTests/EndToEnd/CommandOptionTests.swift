import TestSupport
import XCTest

/// The option groups the subcommands share (`--threads`, `--duration`, `--topic`, `--compression`):
/// each command refuses a bad value before doing any work, with ArgumentParser's validation exit code
/// (64, EX_USAGE) and the same message everywhere.
final class CommandOptionTests: XCTestCase {
    private func assertRefused(_ arguments: [String], saying message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try VLANodeExecutable.run(arguments)
        XCTAssertEqual(result.status, 64, result.error, file: file, line: line)
        XCTAssertTrue(result.error.contains(message), result.error, file: file, line: line)
    }

    func testThreadsMustBePositiveInEveryEngineCommand() throws {
        try assertRefused(["bench", "--flops-only", "--threads", "0"], saying: "--threads must be at least 1")
        try assertRefused(["predict", "--model", "m", "--image", "i.png", "--instruction", "go", "--unnorm-key", "k", "--threads", "0"],
                          saying: "--threads must be at least 1")
        try assertRefused(["calibrate", "--model", "m", "--bag", "b.mcap", "-o", "plan.json", "--threads=-2"],
                          saying: "--threads must be at least 1")
    }

    func testDurationMustBeAPositiveNumberOfSeconds() throws {
        try assertRefused(["run", "--launch", "launch/demo.yaml", "--duration", "0"], saying: "--duration must be a positive number of seconds")
        try assertRefused(["echo", "--connect", "tcp://127.0.0.1:1", "--topic", "/vla/latency", "--duration=-1"],
                          saying: "--duration must be a positive number of seconds")
    }

    func testTopicsAndCompressionAreChecked() throws {
        try assertRefused(["echo", "--connect", "tcp://127.0.0.1:1", "--topic", "camera"], saying: "topic \"camera\" must start with \"/\"")
        try assertRefused(["record", "-o", "x.mcap", "--connect", "tcp://127.0.0.1:1", "--topic", "/unknown"],
                          saying: "no default type for /unknown: write /unknown=TYPE")
        try assertRefused(["record", "-o", "x.mcap", "--connect", "tcp://127.0.0.1:1", "--topic", "/vla/latency", "--compression", "gzip"],
                          saying: "'none', 'zstd' or 'lz4'")
    }

    func testEchoStopsAfterItsDurationWithNoPublisher() throws {
        let result = try VLANodeExecutable.run(["echo", "--connect", "tcp://127.0.0.1:1", "--topic", "/vla/latency", "--duration", "0.2"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(result.output, "")
    }
}
