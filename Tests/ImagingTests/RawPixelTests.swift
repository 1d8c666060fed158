import XCTest
@testable import Imaging

final class RawPixelTests: XCTestCase {
    /// One 2×2 frame, pixels P00=(10,20,30) P01=(40,50,60) P10=(70,80,90) P11=(100,110,120).
    private let expectedRGB: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]

    func testColorEncodingsWithRowPadding() throws {
        let padding: [UInt8] = [0xEE, 0xEE]
        let layouts: [(String, [[UInt8]])] = [
            ("rgb8", [[10, 20, 30, 40, 50, 60], [70, 80, 90, 100, 110, 120]]),
            ("bgr8", [[30, 20, 10, 60, 50, 40], [90, 80, 70, 120, 110, 100]]),
            ("rgba8", [[10, 20, 30, 1, 40, 50, 60, 2], [70, 80, 90, 3, 100, 110, 120, 4]]),
            ("bgra8", [[30, 20, 10, 1, 60, 50, 40, 2], [90, 80, 70, 3, 120, 110, 100, 4]]),
        ]
        for (encoding, rows) in layouts {
            let step = rows[0].count + padding.count
            let image = try RGBImage(rawPixels: rows.flatMap { $0 + padding }, width: 2, height: 2, step: step, encoding: encoding)
            XCTAssertEqual(image, try RGBImage(width: 2, height: 2, pixels: expectedRGB), encoding)
        }
    }

    func testMono8ReplicatesGray() throws {
        let image = try RGBImage(rawPixels: [5, 6, 7, 8], width: 2, height: 2, step: 2, encoding: "mono8")
        XCTAssertEqual(image.pixels, [5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8])
    }

    func testInvalidLayoutsThrow() {
        XCTAssertThrowsError(try RGBImage(rawPixels: [UInt8](repeating: 0, count: 12), width: 2, height: 2, step: 5, encoding: "rgb8")) {
            guard case .invalidRawLayout? = $0 as? ImagingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RGBImage(rawPixels: [UInt8](repeating: 0, count: 11), width: 2, height: 2, step: 6, encoding: "rgb8")) {
            guard case .invalidRawLayout? = $0 as? ImagingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RGBImage(rawPixels: [], width: 0, height: 2, step: 0, encoding: "rgb8")) {
            XCTAssertEqual($0 as? ImagingError, .invalidDimensions(width: 0, height: 2))
        }
        XCTAssertThrowsError(try RGBImage(rawPixels: [], width: Int.max, height: 2, step: Int.max, encoding: "rgba8")) {
            guard case .invalidRawLayout? = $0 as? ImagingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RGBImage(rawPixels: [0, 0], width: 1, height: 1, step: 2, encoding: "mono16")) {
            XCTAssertEqual($0 as? ImagingError, .unsupportedRawEncoding("mono16"))
        }
    }
}
