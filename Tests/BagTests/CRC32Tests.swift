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

    /// Lengths around the 8-byte step of the sliced loop, up to a camera frame's size. Expected
    /// values are Python's `zlib.crc32` of the same bytes, `((i * 131 + 17) ^ (i >> 7)) & 0xFF`.
    func testMatchesZlibAcrossLengths() {
        let expected: [(length: Int, crc: UInt32)] = [
            (1, 0xB8B2_CF7F), (7, 0xC291_ABBB), (8, 0xB1C6_12FF), (9, 0xBD03_5E7E), (63, 0xEB03_EFA2),
            (64, 0x7B55_4231), (65, 0x7273_58B7), (1000, 0xE631_3034), (4099, 0x5856_FAAB), (150_587, 0x5E05_F4C2),
        ]
        for (length, crc) in expected {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: ($0 * 131 + 17) ^ ($0 >> 7)) }
            XCTAssertEqual(CRC32.checksum(bytes), crc, "length \(length)")
            XCTAssertEqual(CRC32.checksum(bytes.lazy.map { $0 }), crc, "length \(length), non-contiguous")
            var pieces = CRC32()
            stride(from: 0, to: length, by: 13).forEach { pieces.update(bytes[$0 ..< min(length, $0 + 13)]) }
            XCTAssertEqual(pieces.value, crc, "length \(length) in 13-byte pieces")
        }
    }
}
