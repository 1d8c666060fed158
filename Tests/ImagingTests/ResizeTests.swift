import XCTest
@testable import Imaging

final class ResizeTests: XCTestCase {
    /// The CogACT preprocessing frame: 320×256 → 224×224, compared with Pillow's output in the reference.
    func testMatchesPillowOnCogACTReferenceFrame() throws {
        let reference = try CogACTReference.load()
        let input = try reference.uint8("image_u8")
        let expected = try reference.uint8("resized_u8")
        XCTAssertEqual(input.shape, [256, 320, 3])
        XCTAssertEqual(expected.shape, [224, 224, 3])
        let frame = try RGBImage(width: 320, height: 256, pixels: input.values)

        let resized = ImageResampler.resizeBicubic(frame, width: 224, height: 224)

        XCTAssertEqual(resized.width, 224)
        XCTAssertEqual(resized.height, 224)
        let difference = channelDifferences(resized.pixels, expected.values)
        XCTAssertLessThanOrEqual(difference.maximum, 1, "every channel within ±1 of Pillow")
        XCTAssertEqual(difference.count, 0, "bit-exact with Pillow: \(difference.count) samples differ")
    }

    /// Up-, down-, mixed and single-axis resizes produced by Pillow (tools/fixtures/make_imaging_fixtures.py).
    func testMatchesPillowFixtures() throws {
        for name in ["down_nonsquare", "up_nonsquare", "down_odd", "mixed", "horizontal_only", "vertical_only", "frame_like"] {
            let input = try TestPaths.fixtureImage("resize_\(name)_in.ppm")
            let expected = try TestPaths.fixtureImage("resize_\(name)_out.ppm")

            let resized = ImageResampler.resizeBicubic(input, width: expected.width, height: expected.height)

            XCTAssertEqual(resized.width, expected.width, name)
            XCTAssertEqual(resized.height, expected.height, name)
            let difference = channelDifferences(resized.pixels, expected.pixels)
            XCTAssertEqual(difference.count, 0, "\(name): \(difference.count) samples differ, max \(difference.maximum)")
        }
    }

    func testSameSizeReturnsInputUnchanged() throws {
        let input = try TestPaths.fixtureImage("resize_mixed_in.ppm")
        XCTAssertEqual(ImageResampler.resizeBicubic(input, width: input.width, height: input.height), input)
    }

    func testConstantImageStaysConstant() throws {
        // Normalised weights sum to one, so a flat image must stay flat at any scale.
        let flat = try RGBImage(width: 13, height: 7, pixels: [UInt8](repeating: 0, count: 13 * 7).flatMap { _ in [200, 17, 90] })
        let resized = ImageResampler.resizeBicubic(flat, width: 5, height: 11)
        XCTAssertEqual(resized.pixels, [UInt8](repeating: 0, count: 55).flatMap { _ in [200, 17, 90] })
    }
}
