import Foundation
import XCTest
@testable import Imaging

final class EncodeTests: XCTestCase {
    func testPPMHasNetpbmLayoutAndRoundTrips() throws {
        let image = try RGBImage(width: 2, height: 1, pixels: [9, 8, 7, 6, 5, 4])
        let bytes = image.ppmData()
        XCTAssertEqual(bytes, Array("P6\n2 1\n255\n".utf8) + [9, 8, 7, 6, 5, 4])
        XCTAssertEqual(try ImageDecoder.decode(bytes), image)
    }

    func testPNGRoundTripsAndWritesFiles() throws {
        let image = try TestPaths.fixtureImage("resize_mixed_in.ppm")
        let png = try image.pngData()
        XCTAssertEqual(ImageDecoder.detectFormat(png), .png)
        XCTAssertEqual(try ImageDecoder.decode(png), image)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["frame.png", "frame.ppm"] {
            try image.write(to: directory.appendingPathComponent(name))
            XCTAssertEqual(try ImageDecoder.decode(contentsOf: directory.appendingPathComponent(name)), image, name)
        }
    }
}
