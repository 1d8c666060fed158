import Foundation
import Messages
import XCTest

/// The `.msg` files in `msgs/` are the source of truth; the embedded texts must match them byte for byte.
final class MessageDefinitionFileTests: XCTestCase {
    private let msgsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("msgs")

    private func fileURL(for typeName: String) -> URL {
        msgsDirectory.appendingPathComponent(typeName + ".msg")
    }

    func testEmbeddedDefinitionsEqualMsgFilesByteForByte() throws {
        for type in MessageCatalog.all {
            let file = try Data(contentsOf: fileURL(for: type.typeName))
            XCTAssertEqual(Array(type.definition.utf8), Array(file), "\(type.typeName) differs from its .msg file")
        }
    }

    func testEveryMsgFileHasASwiftType() throws {
        let files = FileManager.default.enumerator(at: msgsDirectory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "msg" } ?? []
        let names = Set(files.map { url -> String in
            let parts = url.deletingPathExtension().pathComponents.suffix(3)
            return parts.joined(separator: "/")
        })
        XCTAssertEqual(names, Set(MessageCatalog.all.map { $0.typeName }))
        XCTAssertEqual(names.count, 8)
    }

    func testCatalogLookup() {
        XCTAssertTrue(MessageCatalog.type(named: "sensor_msgs/msg/Image") == Image.self)
        XCTAssertNil(MessageCatalog.type(named: "sensor_msgs/msg/Nope"))
    }

    /// Layout from the MCAP registry (ros2msg = ros1msg delimiters) and rosbags `generate_msgdef`:
    /// top-level text first, then each dependency once, depth-first, as `80×'=' / MSG: pkg/Type / text`.
    func testSchemaTextAppendsDependenciesOnceDepthFirst() {
        let separator = String(repeating: "=", count: 80)
        XCTAssertEqual(Image.schemaText, Image.definition
            + "\(separator)\nMSG: std_msgs/Header\n" + Header.definition
            + "\(separator)\nMSG: builtin_interfaces/Time\n" + Time.definition)
        XCTAssertEqual(ActionChunk.schemaText, ActionChunk.definition
            + "\(separator)\nMSG: std_msgs/Header\n" + Header.definition
            + "\(separator)\nMSG: builtin_interfaces/Time\n" + Time.definition)
        XCTAssertEqual(StringMessage.schemaText, "# A single string.\n\nstring data\n")
    }
}
