import Foundation
import XCTest
@testable import Inference

/// Paths and cached loads of the `cogact-tiny` reference fixture (`Tests/Fixtures/cogact-tiny`, see its README).
enum Fixture {
    /// `Tests/Fixtures`, resolved from this file, not from the working directory.
    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let tinyRoot = fixtures.appendingPathComponent("cogact-tiny")
    static let modelDirectory = tinyRoot.appendingPathComponent("model")

    /// The reference intermediates, read with the production safetensors reader.
    static let reference: SafeTensorsFile = {
        do { return try SafeTensorsFile(path: tinyRoot.appendingPathComponent("reference.safetensors").path) } catch {
            fatalError("cannot open the reference fixture: \(error)")
        }
    }()

    /// The tiny model, loaded once for all tests.
    static let model: CogACTModel = {
        do { return try CogACTModel(directory: modelDirectory, options: EngineOptions(blasThreads: 2)) } catch {
            fatalError("cannot load the tiny model: \(error)")
        }
    }()

    /// A reference tensor as Float values.
    static func floats(_ key: String) throws -> [Float] { try reference.floatTensor(key).array }

    /// The reference `input_ids`.
    static func inputIDs() throws -> [Int32] { try reference.integerTensor("input_ids").values.map { Int32($0) } }

    /// The `unnorm_key` of `reference.json`.
    static func unnormKey() throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: tinyRoot.appendingPathComponent("reference.json")))
        guard let key = (json as? [String: Any])?["unnorm_key"] as? String else {
            throw ConfigError.missingKey(file: "reference.json", key: "unnorm_key")
        }
        return key
    }

    /// Rows `range` of a reference tensor whose first axis is split into `parts` equal slices.
    static func slice(_ values: [Float], part: Int, of parts: Int) -> [Float] {
        let size = values.count / parts
        return Array(values[part * size ..< (part + 1) * size])
    }
}

/// ‖a − b‖₂ / ‖b‖₂ in Float64.
func relativeL2(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    var difference = 0.0, norm = 0.0
    for (x, y) in zip(a, b) {
        difference += Double(x - y) * Double(x - y)
        norm += Double(y) * Double(y)
    }
    return (difference / max(norm, .leastNormalMagnitude)).squareRoot()
}

/// Reference parity tolerance. The reference ran the same fp32 math in PyTorch (timm,
/// transformers, CogACT); we differ only in summation order (OpenBLAS vs MKL/ATen kernels,
/// our norm/softmax loops). fp32 round-off is ~6e-8 per op and grows roughly with √(chain
/// length) through a few dozen GEMM/norm layers, i.e. ~1e-6–1e-5; 1e-4 leaves headroom while
/// still catching any real error (a wrong layout, eps, scale or activation gives ≥ 1e-3).
let parityTolerance = 1e-4

func assertClose(_ actual: [Float], _ expected: [Float], _ what: String, tolerance: Double = parityTolerance,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): element count", file: file, line: line)
    guard actual.count == expected.count else { return }
    let error = relativeL2(actual, expected)
    XCTAssertLessThanOrEqual(error, tolerance, "\(what): relative L2 error \(error)", file: file, line: line)
}
