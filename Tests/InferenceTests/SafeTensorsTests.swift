import Foundation
import XCTest
@testable import Inference

final class SafeTensorsTests: XCTestCase {
    func testReadsF32F16AndBF16AsFloat() throws {
        var builder = SafeTensorsBuilder()
        builder.addF32("a", shape: [2, 2], values: [1.5, -2, 0.25, 1024])
        // F16: 1.5 = 0x3E00, -2 = 0xC000; BF16: 1.5 = 0x3FC0, -0.25 = 0xBE80 (little endian).
        builder.addRaw("h", dtype: "F16", shape: [2], bytes: [0x00, 0x3E, 0x00, 0xC0])
        builder.addRaw("b", dtype: "BF16", shape: [2], bytes: [0xC0, 0x3F, 0x80, 0xBE])
        builder.addRaw("ids", dtype: "I32", shape: [2], bytes: [7, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        let file = try SafeTensorsFile(path: SafeTensorsBuilder.write(builder.bytes()).path)
        XCTAssertEqual(try file.floatTensor("a", expectedShape: [2, 2]).array, [1.5, -2, 0.25, 1024])
        XCTAssertEqual(try file.floatTensor("h").array, [1.5, -2])
        XCTAssertEqual(try file.floatTensor("b").array, [1.5, -0.25])
        XCTAssertEqual(try file.integerTensor("ids").values, [7, -1])
        XCTAssertThrowsError(try file.floatTensor("ids")) { error in
            guard case .wrongElementType(key: "ids", requested: _, found: "I32", file: _)? = error as? WeightError else {
                return XCTFail("\(error)")
            }
        }
    }

    /// safetensors does not align tensors: a 1-byte tensor (or an odd header length) leaves the next
    /// ones at odd file offsets, where a typed `load` would be undefined behaviour. Every padding
    /// 0…7 is tried, so each element type is read from misaligned addresses in the map.
    func testTensorsAtMisalignedFileOffsetsReadCorrectly() throws {
        var misalignedStarts = 0
        for padding in 0 ..< 8 {
            var builder = SafeTensorsBuilder()
            builder.addRaw("pad", dtype: "U8", shape: [padding], bytes: Array(repeating: 0xAA, count: padding))
            builder.addF32("f32", shape: [2], values: [1.5, -2])
            builder.addRaw("f16", dtype: "F16", shape: [2], bytes: [0x00, 0x3E, 0x00, 0xC0])
            builder.addRaw("bf16", dtype: "BF16", shape: [2], bytes: [0xC0, 0x3F, 0x80, 0xBE])
            builder.addRaw("i32", dtype: "I32", shape: [2], bytes: [7, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
            builder.addRaw("i64", dtype: "I64", shape: [1], bytes: [0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
            let bytes = builder.bytes()
            let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
            // The F32 tensor starts right after the padding; the others follow at multiples of 4 from it.
            if (8 + headerLength + padding) % 2 == 1 { misalignedStarts += 1 }

            let file = try SafeTensorsFile(path: SafeTensorsBuilder.write(bytes).path)
            XCTAssertEqual(try file.floatTensor("f32").array, [1.5, -2], "padding \(padding)")
            XCTAssertEqual(try file.floatTensor("f16").array, [1.5, -2], "padding \(padding)")
            XCTAssertEqual(try file.floatTensor("bf16").array, [1.5, -0.25], "padding \(padding)")
            XCTAssertEqual(try file.integerTensor("i32").values, [7, -1], "padding \(padding)")
            XCTAssertEqual(try file.integerTensor("i64").values, [-3], "padding \(padding)")
            XCTAssertEqual(try file.integerTensor("pad").values, Array(repeating: 0xAA, count: padding))
        }
        XCTAssertGreaterThan(misalignedStarts, 0, "no padding put the tensors at an odd file offset")
    }

    /// Tensors are copies: they stay valid after their file (and so its memory map) is released.
    func testTensorsOutliveTheirFile() throws {
        var builder = SafeTensorsBuilder()
        builder.addF32("w", shape: [3], values: [1, 2, 3])
        var file: SafeTensorsFile? = try SafeTensorsFile(path: SafeTensorsBuilder.write(builder.bytes()).path)
        weak let released = file
        let tensor = try XCTUnwrap(file).floatTensor("w")
        file = nil
        XCTAssertNil(released, "the file, and with it the map, should be gone")
        XCTAssertEqual(tensor.array, [1, 2, 3])
    }

    func testLoadsTheTinyFixtureCheckpoint() throws {
        let store = try WeightStore(directory: Fixture.modelDirectory)
        XCTAssertTrue(store.keys.contains("llm_backbone.llm.model.norm.weight"))
        XCTAssertEqual(try store.tensor("projector.projector.0.weight", shape: [544, 136]).shape, [544, 136])
    }

    func testTruncatedFileIsReported() throws {
        var builder = SafeTensorsBuilder()
        builder.addF32("w", shape: [4], values: [1, 2, 3, 4])
        let bytes = builder.bytes()
        try expect(.truncated, for: Array(bytes.dropLast(3)), mentioning: "'w' ends at data byte 16")
        try expect(.truncated, for: Array(bytes.prefix(5)), mentioning: "fewer than the 8-byte header length")
        try expect(.truncated, for: Array(bytes.prefix(20)), mentioning: "header needs")
        try expect(.truncated, for: [], mentioning: "empty")
    }

    func testHeaderLengthAndJSONAreValidated() throws {
        var builder = SafeTensorsBuilder()
        builder.addF32("w", shape: [1], values: [1])
        try expect(.invalidHeader, for: builder.bytes(headerLength: 1 << 40), mentioning: "exceeds")
        let garbage = withUnsafeBytes(of: UInt64(4).littleEndian, Array.init) + Array("nope".utf8)
        try expect(.invalidHeader, for: garbage, mentioning: "not a JSON object")
    }

    func testOffsetPastEndOfFileIsReported() throws {
        var builder = SafeTensorsBuilder()
        builder.addRaw("w", dtype: "F32", shape: [4], bytes: Array(repeating: 0, count: 16), offsets: (1000, 1016))
        try expect(.truncated, for: builder.bytes(), mentioning: "'w' ends at data byte 1016")
    }

    func testUnknownDTypeIsReported() throws {
        var builder = SafeTensorsBuilder()
        builder.addRaw("w", dtype: "Q4_K", shape: [4], bytes: Array(repeating: 0, count: 4))
        let url = try SafeTensorsBuilder.write(builder.bytes())
        XCTAssertThrowsError(try SafeTensorsFile(path: url.path)) { error in
            XCTAssertEqual(error as? WeightError, .unsupportedDType(file: url.path, key: "w", dtype: "Q4_K"))
        }
    }

    func testValidButNonFloatDTypeIsRejectedOnlyWhenReadAsWeights() throws {
        var builder = SafeTensorsBuilder()
        builder.addRaw("steps", dtype: "F64", shape: [1], bytes: Array(repeating: 0, count: 8))
        builder.addF32("w", shape: [1], values: [2])
        let file = try SafeTensorsFile(path: SafeTensorsBuilder.write(builder.bytes()).path)
        XCTAssertEqual(try file.floatTensor("w").array, [2])
        XCTAssertThrowsError(try file.floatTensor("steps")) { error in
            XCTAssertTrue("\(error)".contains("'steps' is F64, cannot be read as F32"), "\(error)")
        }
        // The in-place path used by every weight matrix refuses it too, naming the tensor and its type.
        XCTAssertEqual(try file.matrix("w", expectedShape: [1]).dtype, .f32)
        XCTAssertThrowsError(try file.matrix("steps", expectedShape: [1])) { error in
            guard case .wrongElementType(let key, _, let found, _)? = error as? WeightError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "steps")
            XCTAssertEqual(found, "F64")
        }
        XCTAssertThrowsError(try file.matrix("w", expectedShape: [])) { error in
            XCTAssertEqual(error as? WeightError, .shapeMismatch(key: "w", expected: [], found: [1], file: file.path))
        }
    }

    func testShapeThatDisagreesWithByteLengthIsReported() throws {
        var builder = SafeTensorsBuilder()
        builder.addRaw("w", dtype: "F32", shape: [3], bytes: Array(repeating: 0, count: 16))
        try expect(.invalidHeader, for: builder.bytes(), mentioning: "needs 12 bytes, data_offsets give 16")
    }

    func testOverlappingTensorsAreReported() throws {
        var builder = SafeTensorsBuilder()
        builder.addRaw("a", dtype: "F32", shape: [2], bytes: Array(repeating: 0, count: 8), offsets: (0, 8))
        builder.addRaw("b", dtype: "F32", shape: [2], bytes: [], offsets: (4, 12))
        try expect(.invalidHeader, for: builder.bytes() + Array(repeating: 0, count: 4), mentioning: "overlap")
    }

    func testWrongShapeAndMissingKeyNameTheTensor() throws {
        var builder = SafeTensorsBuilder()
        builder.addF32("layer.weight", shape: [2, 3], values: Array(repeating: 0, count: 6))
        let directory = try SafeTensorsBuilder.temporaryDirectory()
        let url = try SafeTensorsBuilder.write(builder.bytes(), in: directory)
        let store = try WeightStore(directory: directory)
        XCTAssertThrowsError(try store.tensor("layer.weight", shape: [3, 2])) { error in
            XCTAssertEqual(error as? WeightError, .shapeMismatch(key: "layer.weight", expected: [3, 2], found: [2, 3], file: url.path))
            XCTAssertTrue("\(error)".contains("'layer.weight' has shape [2, 3], expected [3, 2]"))
        }
        XCTAssertThrowsError(try store.tensor("layer.bias", shape: [3])) { error in
            XCTAssertEqual(error as? WeightError, .missingTensor(key: "layer.bias", searched: url.path))
        }
    }

    func testShardedCheckpointIsReadThroughItsIndex() throws {
        let directory = try SafeTensorsBuilder.temporaryDirectory()
        var first = SafeTensorsBuilder(), second = SafeTensorsBuilder()
        first.addF32("a", shape: [1], values: [3])
        second.addF32("b", shape: [2], values: [4, 5])
        _ = try SafeTensorsBuilder.write(first.bytes(), name: "model-00001-of-00002.safetensors", in: directory)
        _ = try SafeTensorsBuilder.write(second.bytes(), name: "model-00002-of-00002.safetensors", in: directory)
        let index = #"{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: directory.appendingPathComponent(WeightStore.indexFileName))
        let store = try WeightStore(directory: directory)
        XCTAssertEqual(try store.tensor("a", shape: [1]).array, [3])
        XCTAssertEqual(try store.tensor("b", shape: [2]).array, [4, 5])

        let wrong = #"{"weight_map": {"a": "model-00002-of-00002.safetensors"}}"#
        try Data(wrong.utf8).write(to: directory.appendingPathComponent(WeightStore.indexFileName))
        XCTAssertThrowsError(try WeightStore(directory: directory)) { error in
            guard case .invalidIndex(_, let detail)? = error as? WeightError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("does not contain it"), detail)
        }
    }

    private enum Kind { case truncated, invalidHeader }

    private func expect(_ kind: Kind, for bytes: [UInt8], mentioning text: String, line: UInt = #line) throws {
        let url = try SafeTensorsBuilder.write(bytes)
        XCTAssertThrowsError(try SafeTensorsFile(path: url.path), line: line) { error in
            switch (kind, error as? WeightError) {
            case (.truncated, .truncated(let file, let detail)?), (.invalidHeader, .invalidHeader(let file, let detail)?):
                XCTAssertEqual(file, url.path, line: line)
                XCTAssertTrue(detail.contains(text), "'\(detail)' does not mention '\(text)'", line: line)
            default:
                XCTFail("unexpected error \(error)", line: line)
            }
        }
    }
}
