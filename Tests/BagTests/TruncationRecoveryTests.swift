import Bag
import Foundation
import XCTest

/// A writer killed mid-way leaves a prefix of the file: the streaming reader must still return every
/// message of every chunk that was completely written, and stop cleanly.
final class TruncationRecoveryTests: XCTestCase {
    func testEveryCompleteChunkSurvivesACutAtAnyByte() throws {
        // Cuts at every byte (uncompressed) or every fifth byte (compressed) from the first chunk to just
        // past DataEnd, plus every 97th byte of the whole file (the schemas at the start, the summary).
        for (compression, stride) in [(MCAPCompression.none, 1), (.zstd, 5), (.lz4, 5)] {
            let (bytes, written) = try BagFixtures.makeBag(compression: compression, count: 12, chunkSizeLimit: 250)
            let index = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
            XCTAssertGreaterThanOrEqual(index.chunkIndexes.count, 4)
            let chunkMessages = try index.chunkIndexes.map { chunk in
                (end: chunk.chunkStartOffset + chunk.chunkLength, count: try index.messages(in: chunk).count)
            }
            let firstChunk = Int(index.chunkIndexes[0].chunkStartOffset)
            let dataEnd = Int(index.footer.summaryStart)
            let cuts = Set(Swift.stride(from: firstChunk, through: dataEnd + 1, by: stride))
                .union(Swift.stride(from: 0, through: bytes.count, by: 97)).union([bytes.count - 1, bytes.count])
            for cut in cuts.sorted() {
                let expectedCount = chunkMessages.filter { $0.end <= UInt64(cut) }.map(\.count).reduce(0, +)
                var reader = try MCAPStreamReader(input: MCAPMemoryInput(Array(bytes.prefix(cut))))
                let read = try reader.readAll().map(BagFixtures.written)
                XCTAssertEqual(read, Array(written.prefix(expectedCount)), "\(compression) cut at \(cut)")
                XCTAssertNotNil(reader.end)
                let isComplete = UInt64(cut) >= index.footer.summaryStart
                XCTAssertEqual(reader.end == .dataEnd, isComplete, "\(compression) cut at \(cut)")
            }
        }
    }

    /// A bag still being recorded grows while it is read: the reader sees the file as it was when
    /// opened, even when the next record's prefix straddles that size.
    func testFileThatGrowsWhileReadIsReadAsOpened() throws {
        let (bytes, written) = try BagFixtures.makeBag(compression: .none, count: 12, chunkSizeLimit: 250)
        let index = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let second = index.chunkIndexes[1]
        let cut = Int(second.chunkStartOffset) + 4
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("growing-\(UUID().uuidString).mcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes.prefix(cut)).write(to: URL(fileURLWithPath: path))
        let input = try MCAPFileInput(path: path)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes.suffix(from: cut))
        try handle.close()

        var reader = try MCAPStreamReader(input: input)
        let read = try reader.readAll().map(BagFixtures.written)
        XCTAssertEqual(read, Array(written.prefix(try index.messages(in: index.chunkIndexes[0]).count)))
        XCTAssertEqual(reader.end, .truncated(offset: second.chunkStartOffset))
    }

    func testInfoOfATruncatedBagFallsBackToScanning() throws {
        let (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 24)
        let chunks = try MCAPIndexedReader(input: MCAPMemoryInput(bytes)).chunkIndexes
        let middle = chunks[chunks.count / 2]
        let info = try BagInfo(input: MCAPMemoryInput(Array(bytes.prefix(Int(middle.chunkStartOffset + middle.chunkLength / 2)))))
        XCTAssertFalse(info.fromSummary)
        XCTAssertGreaterThan(info.messageCount, 0)
        XCTAssertLessThan(info.messageCount, 24)
        guard case .truncated? = info.scanEnd else { return XCTFail("expected a truncated scan, got \(String(describing: info.scanEnd))") }
        XCTAssertTrue(info.description.contains("truncated at byte"))
    }
}
