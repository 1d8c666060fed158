import Messages
import XCTest

/// Malformed CDR must produce a typed error, never a trap.
final class CDRHostileInputTests: XCTestCase {
    private func assertError<M: ROSMessage>(_ type: M.Type, _ bytes: [UInt8], _ expected: CDRError,
                                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try M(cdrBytes: bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? CDRError, expected, file: file, line: line)
            XCTAssertFalse(String(describing: error).isEmpty, file: file, line: line)
        }
    }

    func testShortBuffers() {
        assertError(StringMessage.self, [], .missingEncapsulationHeader(byteCount: 0))
        assertError(StringMessage.self, [0, 1, 0], .missingEncapsulationHeader(byteCount: 3))
        assertError(StringMessage.self, [0, 1, 0, 0, 3, 0], .truncated(needed: 4, remaining: 2, offset: 4))
        assertError(Time.self, [0, 1, 0, 0, 1, 0, 0, 0], .truncated(needed: 4, remaining: 0, offset: 8))
    }

    func testBadEncapsulation() {
        assertError(StringMessage.self, [0, 0, 0, 0, 1, 0, 0, 0, 0], .unsupportedEncapsulation(kind: 0))
        assertError(StringMessage.self, [0, 3, 0, 0, 1, 0, 0, 0, 0], .unsupportedEncapsulation(kind: 3))
    }

    func testHugeCountsThrowBeforeAllocating() {
        assertError(StringMessage.self, [0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x41],
                    .lengthExceedsRemaining(length: UInt32.max, remaining: 1, offset: 4))
        var image = Image(data: [1]).cdrBytes()
        image.replaceSubrange((image.count - 5)..<(image.count - 1), with: [0xFF, 0xFF, 0xFF, 0x7F])
        assertError(Image.self, image, .lengthExceedsRemaining(length: 0x7FFF_FFFF, remaining: 1, offset: image.count - 5))
        var chunk = ActionChunk(horizon: 1, actionDimension: 1, actions: [1]).cdrBytes()
        // The float32 count sits 20 bytes before the end: count, value, current_index, names count,
        // contributing_chunks.
        chunk.replaceSubrange((chunk.count - 20)..<(chunk.count - 16), with: [0, 0, 0, 0x40])
        assertError(ActionChunk.self, chunk, .lengthExceedsRemaining(length: 0x4000_0000, remaining: 16, offset: chunk.count - 20))
    }

    func testZeroStringLengthIsRefusedAndTheEmptyStringHasLengthOne() throws {
        assertError(StringMessage.self, [0, 1, 0, 0, 0, 0, 0, 0], .zeroStringLength(offset: 4))
        // Header.frame_id follows the 8-byte stamp.
        assertError(Image.self, [0, 1, 0, 0] + [UInt8](repeating: 0, count: 12), .zeroStringLength(offset: 12))
        XCTAssertEqual(try StringMessage(cdrBytes: [0, 1, 0, 0, 1, 0, 0, 0, 0]).data, "")
        XCTAssertEqual(StringMessage(data: "").cdrBytes(), [0, 1, 0, 0, 1, 0, 0, 0, 0])
    }

    func testStringWithoutNul() {
        assertError(StringMessage.self, [0, 1, 0, 0, 2, 0, 0, 0, 0x68, 0x69], .missingStringTerminator(offset: 8))
    }

    func testNonUTF8String() {
        assertError(StringMessage.self, [0, 1, 0, 0, 3, 0, 0, 0, 0xC3, 0x28, 0], .invalidUTF8(offset: 8))
        assertError(StringMessage.self, [0, 1, 0, 0, 2, 0, 0, 0, 0xFF, 0], .invalidUTF8(offset: 8))
    }

    func testActionChunkSizesMustAgree() {
        let mismatched = ActionChunk(horizon: 2, actionDimension: 3, actions: [1, 2, 3]).cdrBytes()
        XCTAssertThrowsError(try ActionChunk(cdrBytes: mismatched)) { error in
            guard case .invalidValue(let type, let reason)? = error as? CDRError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(type, "vla_msgs/msg/ActionChunk")
            XCTAssertTrue(reason.contains("horizon 2"), reason)
        }
        let badIndex = ActionChunk(horizon: 1, actionDimension: 1, actions: [1], currentIndex: 1).cdrBytes()
        XCTAssertThrowsError(try ActionChunk(cdrBytes: badIndex))
        let badNames = ActionChunk(horizon: 1, actionDimension: 2, actions: [1, 2], dimensionNames: ["x"]).cdrBytes()
        XCTAssertThrowsError(try ActionChunk(cdrBytes: badNames))
    }

    func testActionRows() {
        let chunk = ActionChunk(horizon: 2, actionDimension: 2, actions: [1, 2, 3, 4])
        XCTAssertEqual(chunk.action(at: 1).map(Array.init), [3, 4])
        XCTAssertNil(chunk.action(at: 2))
        XCTAssertNil(chunk.action(at: -1))
        // Sizes that disagree with `actions` (only possible before validate()) give nil, not an overflow trap.
        let huge = ActionChunk(horizon: .max, actionDimension: .max, actions: [1, 2])
        XCTAssertNil(huge.action(at: Int(UInt32.max) - 1))
        XCTAssertNil(huge.action(at: 0))
    }
}
