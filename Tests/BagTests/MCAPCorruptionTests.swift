import Bag
import XCTest

/// Corrupt or hostile files give typed errors, never traps.
final class MCAPCorruptionTests: XCTestCase {
    func testBadMagic() {
        XCTAssertThrowsError(try MCAPStreamReader(input: MCAPMemoryInput(Array("not an mcap file".utf8)))) {
            XCTAssertEqual($0 as? MCAPError, .badMagic(offset: 0))
        }
        XCTAssertThrowsError(try MCAPIndexedReader(input: MCAPMemoryInput(Array(repeating: 0, count: 100))))
    }

    func testSummaryCRCMismatchIsDetected() throws {
        var (bytes, _) = try BagFixtures.makeBag(compression: .none)
        let footerStart = bytes.count - 8 - 29
        let summaryStart = Int(bytes[(footerStart + 9)..<(footerStart + 17)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        bytes[summaryStart + 20] ^= 0xFF
        XCTAssertThrowsError(try MCAPIndexedReader(input: MCAPMemoryInput(bytes))) { error in
            guard case .crcMismatch(let what, _, _, _)? = error as? MCAPError else { return XCTFail("\(error)") }
            XCTAssertEqual(what, "summary")
        }
    }

    func testChunkCRCMismatchIsDetected() throws {
        var (bytes, _) = try BagFixtures.makeBag(compression: .none)
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(bytes))
        let chunk = try XCTUnwrap(reader.chunkIndexes.first)
        bytes[Int(chunk.chunkStartOffset + chunk.chunkLength) - 3] ^= 0x01
        XCTAssertThrowsError(try MCAPIndexedReader(input: MCAPMemoryInput(bytes)).messages(in: chunk)) { error in
            guard case .crcMismatch(let what, _, _, _)? = error as? MCAPError else { return XCTFail("\(error)") }
            XCTAssertEqual(what, "chunk")
        }
        var stream = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
        XCTAssertThrowsError(try stream.readAll())
    }

    func testDataSectionCRCMismatchIsDetected() throws {
        var (bytes, _) = try BagFixtures.makeBag(compression: .zstd, count: 4)
        bytes[22] ^= 0x20  // "ros2" → "rOs2" in the Header: records stay parseable, the CRC does not
        var stream = try MCAPStreamReader(input: MCAPMemoryInput(bytes))
        XCTAssertThrowsError(try stream.readAll()) { error in
            guard case .crcMismatch(let what, _, _, _)? = error as? MCAPError else { return XCTFail("\(error)") }
            XCTAssertEqual(what, "data section")
        }
    }

    func testRandomMutationsNeverTrap() throws {
        var generator = SystemRandomNumberGenerator()
        for compression in MCAPCompression.allCases {
            let (original, _) = try BagFixtures.makeBag(compression: compression, count: 12)
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 8..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if var stream = try? MCAPStreamReader(input: MCAPMemoryInput(bytes)) { _ = try? stream.readAll() }
                if let indexed = try? MCAPIndexedReader(input: MCAPMemoryInput(bytes)) {
                    try? indexed.forEachMessage { _ in }
                }
                _ = try? BagInfo(input: MCAPMemoryInput(bytes))
            }
        }
    }
}
