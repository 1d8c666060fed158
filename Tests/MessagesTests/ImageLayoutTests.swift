import Messages
import XCTest

/// `ImageLayout` must accept exactly what `Image(cdrBytes:)` accepts and report the same fields.
final class ImageLayoutTests: XCTestCase {
    private let image = Image(header: Header(stamp: Time(sec: 3, nanosec: 4), frameId: "cam"), height: 2, width: 3,
                              encoding: "rgb8", isBigendian: 0, step: 9, data: Array(0..<18))

    private func assertAgree(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        switch (Result { try Image(cdrBytes: bytes) }, Result { try ImageLayout(cdrBytes: bytes) }) {
        case (.success(let full), .success(let layout)):
            XCTAssertTrue(layout.header == full.header && layout.height == full.height && layout.width == full.width
                          && layout.encoding == full.encoding && layout.isBigendian == full.isBigendian
                          && layout.step == full.step && layout.dataCount == full.data.count, "\(layout)", file: file, line: line)
        case (.failure(let expected), .failure(let actual)):
            XCTAssertEqual(actual as? CDRError, expected as? CDRError, file: file, line: line)
        case (let full, let layout):
            XCTFail("Image: \(full), ImageLayout: \(layout)", file: file, line: line)
        }
    }

    func testReadsTheFieldsWithoutThePixels() throws {
        let layout = try ImageLayout(cdrBytes: image.cdrBytes())
        XCTAssertEqual(layout.header, image.header)
        XCTAssertEqual([layout.height, layout.width, layout.step], [2, 3, 9])
        XCTAssertEqual(layout.encoding, "rgb8")
        XCTAssertEqual(layout.dataCount, 18)
        XCTAssertEqual(image.layout, layout)  // what the camera decoder checks on a fully decoded Image
    }

    func testAgreesWithTheFullDecoderOnEveryTruncationAndByteFlip() {
        let bytes = image.cdrBytes()
        for length in 0...bytes.count { assertAgree(Array(bytes.prefix(length))) }
        assertAgree(bytes + [0, 0, 0])
        assertAgree(bytes + [0, 0, 0, 0])
        for index in bytes.indices {
            for value: UInt8 in [0, 0x7F, 0xFF] {
                var mutated = bytes
                mutated[index] = value
                assertAgree(mutated)
            }
        }
    }
}
