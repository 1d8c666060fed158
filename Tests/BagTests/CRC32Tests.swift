import Bag
import XCTest

final class CRC32Tests: XCTestCase {
    /// The CRC-32/ISO-HDLC check value (zlib's crc32) of "123456789" is 0xCBF43926.
    func testStandardCheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
    }

    func testIncrementalEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8($0 % 251) }
        var crc = CRC32()
        crc.update(bytes[0..<333])
        crc.update(bytes[333...])
        XCTAssertEqual(crc.value, CRC32.checksum(bytes))
    }
}
