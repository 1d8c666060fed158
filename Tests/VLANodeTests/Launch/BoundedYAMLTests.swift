import XCTest
@testable import VLANode

/// Hostile nesting and alias bombs are refused before Yams composes (which recurses and copies).
final class BoundedYAMLTests: XCTestCase {
    private func reason(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            try BoundedYAML.checkLimits(text)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    /// The launch-file fuzzer's crash input had ~2000 nested `{` (a stack overflow inside Yams).
    func testDeepFlowNestingIsRefusedNotCrashed() throws {
        let text = "node:\n  model: " + String(repeating: "{", count: 5000)
        XCTAssertEqual(reason(text), "line 2: brackets nested deeper than 64 levels")
        XCTAssertThrowsError(try LaunchLoader.parse(yaml: text, sourceName: "launch.yaml")) { error in
            guard case LaunchError.invalidYAML(let source, let why)? = error as? LaunchError else { return XCTFail("\(error)") }
            XCTAssertEqual(source, "launch.yaml")
            XCTAssertTrue(why.contains("nested deeper than 64"), why)
        }
    }

    func testDeepBlockNestingIsRefused() {
        XCTAssertEqual(reason(String(repeating: "- ", count: 300) + "x"), "line 1: nested deeper than 256 levels")
        XCTAssertEqual(reason("a:\n" + String(repeating: " ", count: 257) + "b: 1"), "line 2: nested deeper than 256 levels")
    }

    func testAliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x]\n"
        for level in 1...12 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1), *a\(level - 1)]\n" }
        XCTAssertEqual(reason(text), "line 12: more than 32 aliases")
    }

    func testOrdinaryYAMLPassesIncludingBracketsInQuotesAndComments() throws {
        let text = """
        node:   # brackets in comments do not count: \(String(repeating: "[", count: 100))
          name: "quoted \(String(repeating: "{", count: 100)) text"
          other: 'single \(String(repeating: "[", count: 100)) ''quoted'''
          plain: don't stop at an apostrophe
          quote: a "quote" inside a plain scalar
          flow: [a, {b: [c]}]
          bind: tcp://*:5555
          shared: &endpoint tcp://127.0.0.1:1
          again: *endpoint
        """
        XCTAssertNil(reason(text))
        // A quote inside a plain scalar does not open a quoted scalar, so what follows is still checked.
        XCTAssertEqual(reason("a: say\"hi\n" + String(repeating: "[", count: 65)), "line 2: brackets nested deeper than 64 levels")
        let node = try XCTUnwrap(BoundedYAML.compose(text))
        XCTAssertEqual(node["node"]?["again"]?.string, "tcp://127.0.0.1:1")
        XCTAssertEqual(node["node"]?["name"]?.string, "quoted \(String(repeating: "{", count: 100)) text")
    }

    func testOversizedTextIsRefused() {
        XCTAssertEqual(reason(String(repeating: "#", count: (1 << 20) + 1)), "\((1 << 20) + 1) bytes; a launch file may have at most 1048576")
    }
}
