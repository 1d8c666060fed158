import XCTest
@testable import Imaging

final class NormalizationTests: XCTestCase {
    func testMatchesReferencePixelValuesForBothViTs() throws {
        let reference = try CogACTReference.load()
        let resized = try reference.uint8("resized_u8")
        let image = try RGBImage(width: 224, height: 224, pixels: resized.values)
        let streams: [(key: String, mean: [Float], std: [Float])] = [
            ("pixel_values_dino", [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
            ("pixel_values_siglip", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
        ]
        for stream in streams {
            let expected = try reference.float32(stream.key)
            XCTAssertEqual(expected.shape, [3, 224, 224])

            let actual = image.normalizedCHW(mean: stream.mean, std: stream.std)

            XCTAssertEqual(actual.count, expected.values.count)
            let errorNorm = zip(actual, expected.values).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            let referenceNorm = expected.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            XCTAssertLessThanOrEqual(errorNorm / referenceNorm, 1e-6, stream.key)
        }
    }

    func testLayoutIsChannelMajor() throws {
        // Pixel (row 0, col 1) = (255, 0, 51): with mean 0, std 1 it lands at plane offsets 1, 1+plane, 1+2·plane.
        let image = try RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 0, 51])
        let values = image.normalizedCHW(mean: [0, 0, 0], std: [1, 1, 1])
        XCTAssertEqual(values, [0, 1, 0, 0, 0, 0.2])
    }

    func testEverySampleValueFollowsTheFloatFormulaExactly() throws {
        // 256 pixels whose channels run through every byte value (offset per channel), with
        // DINOv2's constants: each output is bitwise (Float(b) / 255 − mean) / std.
        let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
        let pixels = (0..<256).flatMap { value in (0..<3).map { channel in UInt8((value + 85 * channel) % 256) } }
        let image = try RGBImage(width: 16, height: 16, pixels: pixels)
        let values = image.normalizedCHW(mean: mean, std: std)
        for channel in 0..<3 {
            for index in 0..<256 {
                let sample = Float(pixels[3 * index + channel])
                XCTAssertEqual(values[channel * 256 + index].bitPattern, ((sample / 255 - mean[channel]) / std[channel]).bitPattern)
            }
        }
    }
}
