import XCTest
@testable import Imaging

final class DecodeTests: XCTestCase {
    /// PNGs written by Pillow (and 16-bit ones by a minimal encoder): decoded pixels must equal
    /// Pillow's `convert("RGB")` exactly (16-bit RGB/RGBA: the high byte of each colour sample;
    /// 16-bit gray, Pillow's I;16: values above 255 clamp to 255).
    func testPNGVariantsDecodeExactly() throws {
        let names = ["rgb8", "rgba8", "gray8", "gray_alpha8", "palette", "palette_alpha", "bilevel",
                     "rgb16", "rgba16", "gray16", "gamma"]
        for name in names {
            let decoded = try ImageDecoder.decode(TestPaths.fixtureBytes("decode_\(name).png"))
            let expected = try TestPaths.fixtureImage("decode_\(name)_expected.ppm")
            XCTAssertEqual(decoded, expected, name)
        }
    }

    /// JPEGs written by Pillow, compared with Pillow's own decode. The IDCT and upsampling of two
    /// libjpeg builds may differ slightly, so each sample may be off by at most 2.
    func testJPEGVariantsDecodeLikePillow() throws {
        for name in ["jpeg420", "jpeg444", "jpeg_gray", "jpeg_progressive"] {
            let decoded = try ImageDecoder.decode(TestPaths.fixtureBytes("decode_\(name).jpg"))
            let expected = try TestPaths.fixtureImage("decode_\(name)_expected.ppm")
            XCTAssertEqual(decoded.width, expected.width, name)
            XCTAssertEqual(decoded.height, expected.height, name)
            let difference = channelDifferences(decoded.pixels, expected.pixels)
            XCTAssertLessThanOrEqual(difference.maximum, 2, name)
            XCTAssertLessThanOrEqual(difference.count, decoded.pixels.count / 20, "\(name): \(difference.count) samples differ")
        }
    }

    func testPGMDecodesToReplicatedGray() throws {
        let decoded = try ImageDecoder.decode(TestPaths.fixtureBytes("decode_gray8.pgm"))
        XCTAssertEqual(decoded, try TestPaths.fixtureImage("decode_gray8_expected.ppm"))
    }

    func testPPMWithCommentsDecodes() throws {
        let bytes = Array("P6 # comment\n2\t1 #another\n255\n".utf8) + [1, 2, 3, 250, 251, 252]
        XCTAssertEqual(try ImageDecoder.decode(bytes), try RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 250, 251, 252]))
    }

    func testFormatDetection() throws {
        XCTAssertEqual(ImageDecoder.detectFormat(try TestPaths.fixtureBytes("decode_rgb8.png")), .png)
        XCTAssertEqual(ImageDecoder.detectFormat(try TestPaths.fixtureBytes("decode_jpeg420.jpg")), .jpeg)
        XCTAssertEqual(ImageDecoder.detectFormat(Array("P6\n".utf8)), .ppm)
        XCTAssertEqual(ImageDecoder.detectFormat(Array("P5\n".utf8)), .pgm)
        XCTAssertNil(ImageDecoder.detectFormat(Array("GIF89a".utf8)))
    }

    func testRGBImageRejectsWrongBufferSize() {
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 11))) {
            XCTAssertEqual($0 as? ImagingError, .pixelCountMismatch(expected: 12, actual: 11))
        }
        XCTAssertThrowsError(try RGBImage(width: 0, height: 2, pixels: [])) {
            XCTAssertEqual($0 as? ImagingError, .invalidDimensions(width: 0, height: 2))
        }
    }
}
