import XCTest
@testable import VLANode

final class InstructionValidatorTests: XCTestCase {
    private func rejection(_ text: String) -> InstructionRejection? {
        do {
            _ = try InstructionValidator.validate(text)
            return nil
        } catch {
            return error as? InstructionRejection
        }
    }

    func testAcceptsAndTrimsAnOrdinaryInstruction() throws {
        XCTAssertEqual(try InstructionValidator.validate("  pick up the coke can\n"), "pick up the coke can")
    }

    func testRejectsEmptyAndWhitespaceOnly() {
        XCTAssertEqual(rejection(""), .empty)
        XCTAssertEqual(rejection(" \t\n\r\u{00A0}"), .whitespaceOnly)
    }

    func testLimitIsInUTF8BytesNotCharacters() throws {
        XCTAssertNoThrow(try InstructionValidator.validate(String(repeating: "a", count: 1024)))
        XCTAssertEqual(rejection(String(repeating: "a", count: 1025)), .tooLong(bytes: 1025, limit: 1024))
        // "é" is 2 UTF-8 bytes: 512 of them fit exactly, 513 do not.
        XCTAssertNoThrow(try InstructionValidator.validate(String(repeating: "é", count: 512)))
        XCTAssertEqual(rejection(String(repeating: "é", count: 513)), .tooLong(bytes: 1026, limit: 1024))
    }

    func testReasonsAreReadable() {
        XCTAssertTrue(InstructionRejection.tooLong(bytes: 2000, limit: 1024).description.contains("2000 bytes"))
        XCTAssertTrue(InstructionRejection.empty.description.contains("empty"))
    }
}
