import Foundation
import Digest
import XCTest
@testable import Imaging

/// Every PNG of Fixtures/png (written by tools/fixtures/make_png_fixtures.py) must decode to exactly
/// the RGB bytes Pillow's `Image.open(f).convert("RGB")` produced; manifest.json holds their SHA-256
/// (and, for tiny images, the bytes) as recorded by Pillow when the fixtures were made.
final class PNGPillowParityTests: XCTestCase {
    private struct Manifest: Decodable {
        struct Decoded: Decodable {
            let file: String
            let mode: String
            let size: [Int]
            let rgb_sha256: String
            let rgb_hex: String?
        }

        struct Refused: Decodable {
            let file: String
            let declared_size: [Int]
            let reason: String
            let idat_bytes: Int
        }

        let decoded: [Decoded]
        let refused: [Refused]
    }

    private static let directory = TestPaths.fixtures.appendingPathComponent("png")

    private func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Self.directory.appendingPathComponent("manifest.json")))
    }

    private func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(file)))
    }

    func testEveryFixtureDecodesToPillowsPixels() throws {
        let entries = try manifest().decoded
        XCTAssertGreaterThanOrEqual(entries.count, 40, "manifest lost its entries")
        for entry in entries {
            let label = "\(entry.file) (Pillow mode \(entry.mode))"
            let image = try ImageDecoder.decode(bytes(entry.file))
            XCTAssertEqual([image.width, image.height], entry.size, label)
            if let hex = entry.rgb_hex {
                XCTAssertEqual(image.pixels.map { String(format: "%02x", $0) }.joined(), hex, label)
            }
            XCTAssertEqual(SHA256.hexDigest(image.pixels), entry.rgb_sha256, label)
        }
    }

    /// Copies of a valid file whose IHDR declares 20000×20000 (over the default pixel limit) or
    /// 16000×16000 pixels (within it, but far more than the IDAT data can hold).
    func testOversizedAndForgedHeadersAreRefusedBeforeAllocation() throws {
        let entries = try manifest().refused
        XCTAssertEqual(Set(entries.map(\.reason)), ["pixel_limit", "idat_too_short"])
        for entry in entries {
            let width = entry.declared_size[0], height = entry.declared_size[1]
            let expected: ImagingError = entry.reason == "pixel_limit"
                ? .imageTooLarge(width: width, height: height, maximumPixelCount: ImageDecoder.defaultMaximumPixelCount)
                : .malformedPNG("\(entry.idat_bytes) bytes of IDAT data cannot hold \(width)×\(height) pixels; the file is truncated or forged")
            XCTAssertThrowsError(try ImageDecoder.decode(bytes(entry.file)), entry.file) {
                XCTAssertEqual($0 as? ImagingError, expected, entry.file)
            }
        }
    }

    func testPixelLimitAppliesToLargeFrames() throws {
        let frame = try bytes("rgb_smooth_1920x1080.png")
        XCTAssertThrowsError(try ImageDecoder.decode(frame, maximumPixelCount: 1920 * 1080 - 1)) {
            XCTAssertEqual($0 as? ImagingError, .imageTooLarge(width: 1920, height: 1080, maximumPixelCount: 1920 * 1080 - 1))
        }
        XCTAssertEqual(try ImageDecoder.decode(frame, maximumPixelCount: 1920 * 1080).width, 1920)
    }
}
