import Imaging
import Messages
import XCTest
@testable import VLANode

final class CameraFrameDecoderTests: XCTestCase {
    private let decoder = CameraFrameDecoder(type: .image)

    /// A 2×2 image with padded rows: each pixel written in `encoding`'s byte order.
    private func image(encoding: String, bytesPerPixel: Int, pixel: (Int) -> [UInt8], step: Int? = nil) -> Image {
        let step = step ?? 2 * bytesPerPixel + 2
        var data = [UInt8](repeating: 0xEE, count: step * 2)
        for index in 0..<4 {
            let offset = (index / 2) * step + (index % 2) * bytesPerPixel
            data.replaceSubrange(offset..<(offset + bytesPerPixel), with: pixel(index))
        }
        return Image(header: Header(stamp: Time(sec: 12, nanosec: 345)), height: 2, width: 2, encoding: encoding,
                     step: UInt32(step), data: data)
    }

    private let rgb: [[UInt8]] = [[10, 20, 30], [40, 50, 60], [70, 80, 90], [100, 110, 120]]

    func testRawEncodingsConvertToTheSameRGBAndReturnTheStamp() throws {
        let expected = rgb.flatMap { $0 }
        let layouts: [(String, Int, (Int) -> [UInt8])] = [
            ("rgb8", 3, { self.rgb[$0] }),
            ("bgr8", 3, { self.rgb[$0].reversed() }),
            ("rgba8", 4, { self.rgb[$0] + [255] }),
            ("bgra8", 4, { self.rgb[$0].reversed() + [255] }),
        ]
        for (encoding, size, pixel) in layouts {
            let payload = image(encoding: encoding, bytesPerPixel: size, pixel: pixel).cdrBytes()
            XCTAssertEqual(try decoder.validate(payload), 12_000_000_345, encoding)
            XCTAssertEqual(try decoder.image(from: payload).pixels, expected, encoding)
        }
        let mono = image(encoding: "mono8", bytesPerPixel: 1, pixel: { [UInt8(7 * $0)] }).cdrBytes()
        XCTAssertEqual(try decoder.image(from: mono).pixels, [0, 0, 0, 7, 7, 7, 14, 14, 14, 21, 21, 21])
    }

    func testRefusesUnknownEncodingsWrongSizesAndGarbage() {
        let yuv = image(encoding: "yuv422", bytesPerPixel: 2, pixel: { _ in [1, 2] }).cdrBytes()
        XCTAssertThrowsError(try decoder.validate(yuv)) { XCTAssertEqual($0 as? CameraFrameError, .unsupportedEncoding("yuv422")) }
        var short = image(encoding: "rgb8", bytesPerPixel: 3, pixel: { self.rgb[$0] })
        short.data.removeLast()
        XCTAssertThrowsError(try decoder.validate(short.cdrBytes())) {
            guard case .badPixels? = $0 as? CameraFrameError else { return XCTFail("\($0)") }
        }
        var huge = Image(height: 100_000, width: 100_000, encoding: "rgb8", step: 300_000)
        huge.data = []
        XCTAssertThrowsError(try decoder.validate(huge.cdrBytes())) {
            XCTAssertEqual($0 as? CameraFrameError, .badSize(width: 100_000, height: 100_000, limit: CameraFrameDecoder.maximumPixelCount))
        }
        XCTAssertThrowsError(try decoder.validate([0, 1, 0, 0, 9])) {
            guard case .undecodable? = $0 as? CameraFrameError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try decoder.validate(StringMessage(data: "hello").cdrBytes()))
    }

    func testCompressedPNGDecodesToItsPixelsAndOtherFormatsAreRefused() throws {
        let original = try RGBImage(width: 2, height: 2, pixels: rgb.flatMap { $0 })
        let decoder = CameraFrameDecoder(type: .compressedImage)
        let png = CompressedImage(header: Header(stamp: Time(sec: 1, nanosec: 2)), format: "png", data: try original.pngData())
        XCTAssertEqual(try decoder.validate(png.cdrBytes()), 1_000_000_002)
        XCTAssertEqual(try decoder.image(from: png.cdrBytes()), original)
        let bogus = CompressedImage(format: "tiff", data: [0x49, 0x49, 0x2A, 0x00])
        XCTAssertThrowsError(try decoder.validate(bogus.cdrBytes())) { XCTAssertEqual($0 as? CameraFrameError, .unsupportedFormat("tiff")) }
        let truncated = CompressedImage(format: "jpeg", data: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
        XCTAssertNoThrow(try decoder.validate(truncated.cdrBytes()))  // the header check is cheap…
        XCTAssertThrowsError(try decoder.image(from: truncated.cdrBytes())) {  // …decoding finds the damage
            guard case .badPixels? = $0 as? CameraFrameError else { return XCTFail("\($0)") }
        }
    }
}
