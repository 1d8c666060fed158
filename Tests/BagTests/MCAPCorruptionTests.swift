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

    /// 150 mutants per compression, each with 1–6 bytes overwritten at positions and values spread by
    /// large primes over the whole file: deterministic, so a failure is reproducible. Every reader must
    /// throw or succeed without trapping, and a read that claims success (a stream that reached DataEnd,
    /// an indexed read without error) must return exactly the written messages: the CRCs catch the rest.
    func testScatteredMutationsNeverTrapNorPassUnnoticed() throws {
        for compression in MCAPCompression.allCases {
            let (original, written) = try BagFixtures.makeBag(compression: compression, count: 12)
            var silentlyWrong = 0
            for trial in 0..<150 {
                var bytes = original
                for edit in 0...(trial % 6) {
                    let position = 8 + (trial * 7919 + edit * 104_729) % (bytes.count - 8)
                    bytes[position] = UInt8(truncatingIfNeeded: trial * 31 + edit * 17 + 1)
                }
                if var stream = try? MCAPStreamReader(input: MCAPMemoryInput(bytes)),
                   let messages = try? stream.readAll(), stream.end == .dataEnd,
                   messages.map(BagFixtures.written) != written {
                    silentlyWrong += 1
                }
                if let indexed = try? MCAPIndexedReader(input: MCAPMemoryInput(bytes)) {
                    var messages: [WrittenMessage] = []
                    if (try? indexed.forEachMessage { messages.append(BagFixtures.written($0)) }) != nil,
                       messages != written {
                        silentlyWrong += 1
                    }
                }
                _ = try? BagInfo(input: MCAPMemoryInput(bytes))
            }
            XCTAssertEqual(silentlyWrong, 0, "\(compression): a mutant read as complete but with other messages")
        }
    }
}
