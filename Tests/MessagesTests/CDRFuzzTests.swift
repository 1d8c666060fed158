import Messages
import XCTest

/// Random and truncated inputs: decoding throws or succeeds, never traps; what decodes re-encodes stably.
final class CDRFuzzTests: XCTestCase {
    /// SplitMix64, so failures reproduce.
    private struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testEveryStrictPrefixOfAValidMessageThrows() {
        for message in MessageExamples.all { assertPrefixesThrow(message) }
    }

    private func assertPrefixesThrow<M: ROSMessage>(_ message: M) {
        let bytes = message.cdrBytes()
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try M(cdrBytes: Array(bytes.prefix(length))), "\(M.typeName) cut at \(length)")
        }
    }

    func testRandomBytesNeverTrap() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<96, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 4, Bool.random(using: &generator) { bytes.replaceSubrange(0..<4, with: [0, 1, 0, 0]) }
            for type in MessageCatalog.all { decodeIfPossible(type, bytes) }
        }
    }

    func testMutatedValidMessagesNeverTrap() {
        var generator = SeededGenerator(state: 7)
        for message in MessageExamples.all { mutate(message, using: &generator) }
    }

    private func mutate<M: ROSMessage>(_ message: M, using generator: inout SeededGenerator) {
        let original = message.cdrBytes()
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            decodeIfPossible(M.self, bytes)
        }
    }

    /// Decodes; when that succeeds, its encoding must decode again and re-encode to the same bytes
    /// (bytes, not values, so NaN payloads are checked too).
    private func decodeIfPossible<M: ROSMessage>(_ type: M.Type, _ bytes: [UInt8]) {
        guard let message = try? M(cdrBytes: bytes) else { return }
        let encoded = message.cdrBytes()
        XCTAssertEqual(try M(cdrBytes: encoded).cdrBytes(), encoded, "\(M.typeName)")
    }
}
