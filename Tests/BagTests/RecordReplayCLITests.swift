import Bag
import Foundation
import TestSupport
import XCTest

/// End to end through the `vla-node` executable: `replay` publishes a bag over ZeroMQ, `record`
/// subscribes and writes it, SIGINT finishes the recording cleanly.
final class RecordReplayCLITests: XCTestCase {
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try VLANodeExecutable.url()
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testReplayIntoRecordReproducesTheBag() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .zstd, count: 20)
        let source = InteropPython.temporaryURL("source.mcap")
        let recorded = InteropPython.temporaryURL("recorded.mcap")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: recorded)
        }
        try Data(bytes).write(to: source)
        let endpoint = "tcp://127.0.0.1:\(Int.random(in: 30000..<60000))"

        let recorder = try start(["record", "-o", recorded.path, "--connect", endpoint, "--topic",
                                  "/camera/image=sensor_msgs/msg/Image", "/instruction",
                                  "/actions=vla_msgs/msg/ActionChunk"])
        Thread.sleep(forTimeInterval: 0.5)
        let replay = try start(["replay", source.path, "--bind", endpoint, "--rate", "4", "--startup-delay", "1"])
        replay.waitUntilExit()
        XCTAssertEqual(replay.terminationStatus, 0)
        Thread.sleep(forTimeInterval: 0.5)
        recorder.interrupt()
        recorder.waitUntilExit()
        XCTAssertEqual(recorder.terminationStatus, 0)

        let expected = written.filter { ["/camera/image", "/instruction", "/actions"].contains($0.topic) }
        let reader = try MCAPIndexedReader(input: MCAPFileInput(path: recorded.path))
        var messages: [MCAPMessage] = []
        try reader.forEachMessage { messages.append($0) }
        XCTAssertEqual(messages.map(\.topic), expected.map(\.topic))
        XCTAssertEqual(messages.map(\.data), expected.map(\.data))
        XCTAssertEqual(messages.map { $0.schema?.name ?? "" }, expected.map(\.typeName))
        // Recorded spacing follows the source divided by the rate (loose bound: shared CI machine).
        if let first = messages.first, let last = messages.last, let sourceFirst = expected.first,
           let sourceLast = expected.last {
            let span = Double(last.logTime - first.logTime) / 1e9
            let sourceSpan = Double(sourceLast.logTime - sourceFirst.logTime) / 1e9 / 4
            XCTAssertEqual(span, sourceSpan, accuracy: 0.5)
        }
    }
}
