import Foundation
import XCTest
@testable import Inference

final class NPYTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("NPYFixtures")

    private func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    /// The values tools/fixtures/make_npy_fixtures.py stores: (i − 7) × 0.25, exact in float32.
    private func ramp(_ count: Int) -> [Float] {
        (0..<count).map { (Float($0) - 7) * 0.25 }
    }

    func testReadsNumpyFilesOfEveryRankAndVersion() throws {
        let cases: [(String, [Int])] = [("scalar", []), ("vector", [5]), ("matrix", [2, 3]), ("cube", [2, 3, 4]),
                                        ("empty", [0]), ("empty2d", [3, 0]), ("column", [1, 1, 7]),
                                        ("v2", [3, 2]), ("v3", [4])]
        for (name, shape) in cases {
            let array = try NPY.read(contentsOf: Self.fixtures.appendingPathComponent("\(name).npy"))
            XCTAssertEqual(array.shape, shape, name)
            XCTAssertEqual(array.values, ramp(shape.reduce(1, *)), name)
        }
    }

    func testSpecialValuesKeepTheirBitPatterns() throws {
        let array = try NPY.decode(fixture("special.npy"))
        let expected: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 3.4028235e38, -1.1754944e-38]
        XCTAssertEqual(array.shape, [8])
        XCTAssertEqual(array.values.map(\.bitPattern), expected.map(\.bitPattern))
    }

    /// Version 1.0 output must be byte-identical to numpy's `np.save`.
    func testEncodeMatchesNumpyBytes() throws {
        for (name, shape) in [("scalar", []), ("vector", [5]), ("matrix", [2, 3]), ("cube", [2, 3, 4]), ("empty2d", [3, 0])] as [(String, [Int])] {
            let array = try NPYArray(shape: shape, values: ramp(shape.reduce(1, *)))
            XCTAssertEqual(NPY.encode(array), try fixture("\(name).npy"), name)
        }
    }

    func testRoundTripThroughFile() throws {
        let array = try NPYArray(shape: [3, 1, 2], values: [1.5, -2, 3e-7, .greatestFiniteMagnitude, 0, -0.0])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPY.write(array, to: url)
        XCTAssertEqual(try NPY.read(contentsOf: url), array)
        XCTAssertEqual(NPY.encode(array).count % 64, 24 % 64, "64-byte aligned header + 24 data bytes")
    }

    /// A header longer than 65535 bytes needs format 2.0 (4-byte header length).
    func testHugeHeaderUsesVersion2AndRoundTrips() throws {
        let array = try NPYArray(shape: [Int](repeating: 1, count: 25_000), values: [42])
        let bytes = NPY.encode(array)
        XCTAssertEqual(Array(bytes[6...7]), [2, 0])
        XCTAssertEqual(bytes.count % 64, 4)
        XCTAssertEqual(try NPY.decode(bytes), array)
    }

    func testRejectsOtherDTypesAndFortranOrder() throws {
        let cases: [(String, NPYError)] = [("bad_float64.npy", .unsupportedDType("<f8")), ("bad_bigendian.npy", .unsupportedDType(">f4")),
                                           ("bad_int32.npy", .unsupportedDType("<i4")), ("bad_fortran.npy", .fortranOrder)]
        for (name, expected) in cases {
            XCTAssertThrowsError(try NPY.decode(fixture(name)), name) { XCTAssertEqual($0 as? NPYError, expected, name) }
        }
    }

    func testRejectsCorruptFiles() throws {
        let valid = try fixture("matrix.npy")
        XCTAssertThrowsError(try NPY.decode([])) { XCTAssertEqual($0 as? NPYError, .notNPY) }
        XCTAssertThrowsError(try NPY.decode(Array("PK\u{3}\u{4}zip".utf8))) { XCTAssertEqual($0 as? NPYError, .notNPY) }
        for length in [6, 7, 9, 30, 127] {
            XCTAssertThrowsError(try NPY.decode(Array(valid.prefix(length))), "cut at \(length)") {
                guard case .malformedHeader? = $0 as? NPYError else { return XCTFail("cut at \(length): \($0)") }
            }
        }
        XCTAssertThrowsError(try NPY.decode(Array(valid.dropLast(1)))) {
            XCTAssertEqual($0 as? NPYError, .dataSizeMismatch(expectedBytes: 24, actualBytes: 23))
        }
        XCTAssertThrowsError(try NPY.decode(valid + [0])) {
            XCTAssertEqual($0 as? NPYError, .dataSizeMismatch(expectedBytes: 24, actualBytes: 25))
        }
        var badVersion = valid
        badVersion[6] = 4
        XCTAssertThrowsError(try NPY.decode(badVersion)) { XCTAssertEqual($0 as? NPYError, .unsupportedVersion(major: 4, minor: 0)) }
    }

    func testHeaderParsingIsStrict() throws {
        func file(_ header: String, dataBytes: Int = 8) -> [UInt8] {
            let text = Array(header.utf8) + [0x0A]
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
                + [UInt8](repeating: 0, count: dataBytes)
        }
        // Key order and quoting may vary as in any Python dict literal.
        let reordered = try NPY.decode(file("{\"shape\": (2,), 'fortran_order': False, 'descr': '<f4'}"))
        XCTAssertEqual(reordered, try NPYArray(shape: [2], values: [0, 0]))

        let malformed = ["{'descr': '<f4', 'fortran_order': False}", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
                         "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,",
                         "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "not a dict",
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"]
        for header in malformed {
            XCTAssertThrowsError(try NPY.decode(file(header)), header) {
                guard case .malformedHeader? = $0 as? NPYError else { return XCTFail("\(header): \($0)") }
            }
        }
    }

    func testArrayRejectsShapeMismatch() {
        XCTAssertThrowsError(try NPYArray(shape: [2, 2], values: [1, 2, 3])) {
            XCTAssertEqual($0 as? NPYError, .shapeMismatch(shape: [2, 2], valueCount: 3))
        }
        XCTAssertThrowsError(try NPYArray(shape: [-1], values: []))
    }

    /// The error text of an invalid shape must not compute the overflowing product itself.
    func testShapeMismatchDescriptionSurvivesOverflowingAndNegativeShapes() {
        for shape in [[Int.max, 2], [-1]] {
            XCTAssertThrowsError(try NPYArray(shape: shape, values: [])) {
                XCTAssertEqual("\($0)", "shape \(shape) is invalid: dimensions must be non-negative and their product must fit in Int")
            }
        }
        XCTAssertEqual("\(NPYError.shapeMismatch(shape: [2, 2], valueCount: 3))", "shape [2, 2] needs 4 values, got 3")
    }
}
