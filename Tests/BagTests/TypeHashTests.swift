import Messages
import XCTest

/// ROS 2 type hashes (RIHS01) against values published by ROS 2 Jazzy itself (Tests/Fixtures/README.md
/// names where each came from); none of them was computed with this package.
final class TypeHashTests: XCTestCase {
    /// Hashes of the standard types of msgs/, as Jazzy's rosidl generated them.
    static let published: [(any ROSMessage.Type, String)] = [
        (StringMessage.self, "RIHS01_df668c740482bbd48fb39d76a70dfd4bd59db1288021743503259e948f6b1a18"),
        (Time.self, "RIHS01_b106235e25a4c5ed35098aa0a61a3ee9c9b18d197f398b0e4206cea9acf9c197"),
        (Header.self, "RIHS01_f49fb3ae2cf070f793645ff749683ac6b06203e41c891e17701b1cb597ce6a01"),
        (Image.self, "RIHS01_d31d41a9a4c4bc8eae9be757b0beed306564f7526c88ea6a4588fb9582527d47"),
        (CompressedImage.self, "RIHS01_15640771531571185e2efc8a100baf923961a4d15d5569652e6cb6691e8e371a"),
    ]

    func testStandardTypesMatchPublishedJazzyHashes() throws {
        for (type, expected) in Self.published {
            XCTAssertEqual(try type.typeHash(), expected, type.typeName)
        }
    }

    /// Fixed-size arrays, a float64 sequence and a second nested type (sensor_msgs/msg/CameraInfo,
    /// fields as in Jazzy, comments dropped: they do not enter the hash).
    func testFixedArraysAndSortedReferencesMatchPublishedCameraInfoHash() throws {
        let schema = """
            std_msgs/Header header
            uint32 height
            uint32 width
            string distortion_model
            float64[] d
            float64[9] k
            float64[9] r
            float64[12] p
            uint32 binning_x
            uint32 binning_y
            RegionOfInterest roi
            \(ros2msgSeparator)
            MSG: sensor_msgs/RegionOfInterest
            uint32 x_offset  # leftmost pixel
            uint32 y_offset
            uint32 height
            uint32 width
            bool do_rectify
            \(ros2msgSeparator)
            MSG: std_msgs/Header
            \(Header.definition)\(ros2msgSeparator)
            MSG: builtin_interfaces/Time
            \(Time.definition)
            """
        XCTAssertEqual(try ROS2TypeHash.rihs01(typeName: "sensor_msgs/msg/CameraInfo", schemaText: schema),
                       "RIHS01_b3dfd68ff46c9d56c80fd3bd4ed22c7a4ddce8c8348f2f59c299e73118e7e275")
    }

    /// Constants and default values do not enter the hash; renaming a field does.
    func testConstantsAndDefaultsAreIgnoredButNamesCount() throws {
        let plain = try ROS2TypeHash.rihs01(typeName: "std_msgs/msg/String", schemaText: "string data\n")
        let decorated = try ROS2TypeHash.rihs01(typeName: "std_msgs/msg/String",
                                                schemaText: "uint8 KIND=3\nstring data \"hello\"  # note\n")
        XCTAssertEqual(decorated, plain)
        XCTAssertNotEqual(try ROS2TypeHash.rihs01(typeName: "std_msgs/msg/String", schemaText: "string text\n"), plain)
    }

    func testAMissingDependencyIsATypedError() {
        XCTAssertThrowsError(try ROS2TypeHash.rihs01(typeName: "std_msgs/msg/Header", schemaText: Header.definition)) { error in
            XCTAssertEqual(error as? TypeHashError,
                           .missingDefinition(typeName: "builtin_interfaces/msg/Time", referencedBy: "std_msgs/msg/Header"))
        }
        XCTAssertThrowsError(try ROS2TypeHash.rihs01(typeName: "a/msg/B", schemaText: "uint8[x] bad\n")) { error in
            XCTAssertEqual(error as? TypeHashError, .malformedLine(typeName: "a/msg/B", line: "uint8[x] bad"))
        }
    }
}
