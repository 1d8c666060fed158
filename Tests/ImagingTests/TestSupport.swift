import Foundation
import XCTest
@testable import Imaging

/// Locations of test inputs, resolved from this file rather than the working directory.
enum TestPaths {
    /// Tests/ImagingTests/Fixtures.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// `Tests/Fixtures`: reference data made by independent implementations (see its README).
    static let referenceFixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixtureBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func fixtureImage(_ name: String) throws -> RGBImage {
        try ImageDecoder.decode(contentsOf: fixtures.appendingPathComponent(name))
    }
}

/// Minimal safetensors reader for tests: parses the JSON header and returns U8 or F32 tensors.
struct SafetensorsTestFile {
    struct Tensor {
        let dtype: String
        let shape: [Int]
        let bytes: Data
    }

    let tensors: [String: Tensor]

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        let headerLength = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            let entry = try XCTUnwrap(value as? [String: Any])
            let offsets = try XCTUnwrap(entry["data_offsets"] as? [Int])
            let start = 8 + headerLength + offsets[0], end = 8 + headerLength + offsets[1]
            tensors[name] = Tensor(dtype: try XCTUnwrap(entry["dtype"] as? String),
                                   shape: try XCTUnwrap(entry["shape"] as? [Int]),
                                   bytes: data.subdata(in: start..<end))
        }
        self.tensors = tensors
    }

    func uint8(_ name: String) throws -> (shape: [Int], values: [UInt8]) {
        let tensor = try XCTUnwrap(tensors[name], "missing tensor \(name)")
        XCTAssertEqual(tensor.dtype, "U8")
        return (tensor.shape, [UInt8](tensor.bytes))
    }

    func float32(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let tensor = try XCTUnwrap(tensors[name], "missing tensor \(name)")
        XCTAssertEqual(tensor.dtype, "F32")
        let values = stride(from: 0, to: tensor.bytes.count, by: 4).map { offset -> Float in
            let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(tensor.bytes[tensor.bytes.startIndex + offset + $1]) << (8 * UInt32($1)) }
            return Float(bitPattern: bits)
        }
        return (tensor.shape, values)
    }
}

/// The cogact-tiny reference tensors.
enum CogACTReference {
    static let url = TestPaths.referenceFixtures.appendingPathComponent("cogact-tiny/reference.safetensors")

    static func load() throws -> SafetensorsTestFile {
        try SafetensorsTestFile(url: url)
    }
}

/// Number of channel samples that differ, and the largest absolute difference.
func channelDifferences(_ lhs: [UInt8], _ rhs: [UInt8]) -> (count: Int, maximum: Int) {
    zip(lhs, rhs).reduce((0, 0)) { partial, pair in
        let difference = abs(Int(pair.0) - Int(pair.1))
        return (partial.0 + (difference > 0 ? 1 : 0), max(partial.1, difference))
    }
}
