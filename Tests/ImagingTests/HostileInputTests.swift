import Foundation
import XCTest
@testable import Imaging

/// Corrupt, truncated and oversized inputs must throw typed errors, never crash.
final class HostileInputTests: XCTestCase {
    /// Cuts keep at most the bytes before the final 13 (PNG: IEND plus the last IDAT CRC).
    func testTruncatedFilesThrow() throws {
        let files = ["decode_rgb8.png", "decode_rgba8.png", "decode_palette.png", "decode_jpeg420.jpg",
                     "decode_jpeg_progressive.jpg", "decode_gray8.pgm", "resize_mixed_in.ppm"]
        for name in files {
            let bytes = try TestPaths.fixtureBytes(name)
            for length in [1, 4, 9, 20, 40, bytes.count / 2, bytes.count - 13] {
                XCTAssertThrowsError(try ImageDecoder.decode(Array(bytes.prefix(length))), "\(name) cut at \(length)") {
                    XCTAssertTrue($0 is ImagingError, "\(name) cut at \(length): \($0)")
                }
            }
        }
    }

    func testCorruptedBodiesThrowOrDecodeWithoutCrashing() throws {
        // Flipping bytes after the signature must never trap; libpng rejects it through the CRC,
        // libjpeg-turbo may still produce an image from damaged entropy data.
        for name in ["decode_rgb8.png", "decode_jpeg420.jpg"] {
            var bytes = try TestPaths.fixtureBytes(name)
            for index in stride(from: 12, to: bytes.count, by: 7) { bytes[index] ^= 0x5A }
            do {
                let image = try ImageDecoder.decode(bytes)
                XCTAssertEqual(image.pixels.count, image.width * image.height * 3)
            } catch {
                XCTAssertTrue(error is ImagingError, "\(name): \(error)")
            }
        }
        XCTAssertThrowsError(try ImageDecoder.decode(try TestPaths.fixtureBytes("decode_rgb8.png").enumerated().map {
            $0.offset > 40 ? UInt8(truncatingIfNeeded: $0.offset * 31) : $0.element
        }))
    }

    func testGarbageAndEmptyInputThrowUnrecognized() {
        for bytes in [[], [0x00], Array("hello world".utf8), [UInt8](repeating: 0xAB, count: 100)] {
            XCTAssertThrowsError(try ImageDecoder.decode(bytes)) { XCTAssertEqual($0 as? ImagingError, .unrecognizedFormat) }
        }
    }

    func testHugeDimensionsAreRejectedBeforeAllocation() throws {
        XCTAssertThrowsError(try ImageDecoder.decode(TestPaths.fixtureBytes("hostile_huge.png"))) {
            XCTAssertEqual($0 as? ImagingError, .imageTooLarge(width: 100000, height: 100000,
                                                               maximumPixelCount: ImageDecoder.defaultMaximumPixelCount))
        }
        XCTAssertThrowsError(try ImageDecoder.decode(TestPaths.fixtureBytes("hostile_huge.jpg"))) {
            XCTAssertEqual($0 as? ImagingError, .imageTooLarge(width: 65000, height: 65000,
                                                               maximumPixelCount: ImageDecoder.defaultMaximumPixelCount))
        }
        XCTAssertThrowsError(try ImageDecoder.decode(Array("P6\n100000 100000\n255\n".utf8))) {
            XCTAssertEqual($0 as? ImagingError, .imageTooLarge(width: 100000, height: 100000,
                                                               maximumPixelCount: ImageDecoder.defaultMaximumPixelCount))
        }
        XCTAssertThrowsError(try ImageDecoder.decode(try TestPaths.fixtureBytes("decode_rgb8.png"), maximumPixelCount: 100)) {
            XCTAssertEqual($0 as? ImagingError, .imageTooLarge(width: 33, height: 21, maximumPixelCount: 100))
        }
    }

    /// 8000×8000 is within the pixel limit, but 12 bytes of deflate data inflate to at most 12 384 bytes,
    /// not the 8000 × (1 + 3 × 8000) bytes of scanlines: rejected before the 192 MB buffer is allocated.
    func testPNGWhoseDataCannotHoldItsPixelsIsRejectedBeforeAllocation() throws {
        XCTAssertThrowsError(try ImageDecoder.decode(TestPaths.fixtureBytes("hostile_short_data.png"))) {
            XCTAssertEqual($0 as? ImagingError, .malformedPNG(
                "12 bytes of IDAT data cannot hold 8000×8000 pixels; the file is truncated or forged"))
        }
    }

    /// libpng's own message reaches the caller: a file cut inside its image data, and one whose IHDR
    /// checksum is wrong.
    func testPNGErrorsCarryLibpngsMessage() throws {
        let bytes = try TestPaths.fixtureBytes("png/rgb_noise_224.png")
        XCTAssertThrowsError(try ImageDecoder.decode(Array(bytes.prefix(100_000)))) {
            XCTAssertEqual($0 as? ImagingError, .malformedPNG("unexpected end of file"))
        }
        var badChecksum = bytes
        badChecksum[29] ^= 0xFF
        XCTAssertThrowsError(try ImageDecoder.decode(badChecksum)) {
            XCTAssertEqual($0 as? ImagingError, .malformedPNG("IHDR: CRC error"))
        }
    }

    func testCMYKJPEGIsRejectedWithAClearError() throws {
        XCTAssertThrowsError(try ImageDecoder.decode(TestPaths.fixtureBytes("unsupported_cmyk.jpg"))) {
            guard case .unsupportedJPEG? = $0 as? ImagingError else { return XCTFail("\($0)") }
        }
    }

    func testInvalidPNMHeadersThrow() {
        let headers = ["P6\n", "P6\n2 1\n", "P6\n2 1\n65535\n", "P6\n-2 1\n255\n", "P6\n0 1\n255\n",
                       "P6\n99999999999999999999 1\n255\n", "P6\n2 x\n255\n", "P6\n2 1\n255"]
        for header in headers {
            XCTAssertThrowsError(try ImageDecoder.decode(Array(header.utf8)), header.debugDescription) {
                XCTAssertTrue($0 is ImagingError)
            }
        }
        XCTAssertThrowsError(try ImageDecoder.decode(Array("P6\n2 1\n65535\n".utf8) + [UInt8](repeating: 0, count: 12))) {
            XCTAssertEqual($0 as? ImagingError, .unsupportedPNM("maxval 65535; only 255 (8-bit) is supported"))
        }
    }

    func testMissingFileThrowsFileAccess() {
        let url = URL(fileURLWithPath: "/nonexistent/frame.png")
        XCTAssertThrowsError(try ImageDecoder.decode(contentsOf: url)) {
            guard case .fileAccess(let path, _)? = $0 as? ImagingError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, url.path)
        }
    }
}
