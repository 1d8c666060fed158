@testable import Bag
import Messages
import XCTest

/// rosbag2's channel metadata and `rosbag2` record, against the layout rosbag2_storage_mcap writes.
final class Rosbag2MetadataTests: XCTestCase {
    /// `offered_qos_profiles` of `/test_topic1` (a default rclcpp publisher) in rosbag2's own test bag
    /// `rosbag2_tests/resources/mcap/bag_with_topics_and_service_events` (metadata version 8, policies
    /// as rmw enum values).
    static let rosbag2DefaultPublisherV8 = """
        - history: 3
          depth: 0
          reliability: 1
          durability: 2
          deadline:
            sec: 9223372036
            nsec: 854775807
          lifespan:
            sec: 9223372036
            nsec: 854775807
          liveliness: 1
          liveliness_lease_duration:
            sec: 9223372036
            nsec: 854775807
          avoid_ros_namespace_conventions: false
        """

    /// Version 9 (Jazzy) writes the same layout with the policies by name (rmw_qos_*_policy_to_str;
    /// `unknown` for an unknown policy); rmw's enum values: history unknown 3, reliable 1, volatile 2,
    /// automatic 1.
    func testQoSYAMLHasRosbag2LayoutWithPolicyNames() {
        let yaml = ROS2QoSProfile.yaml([.discoveredDefaultPublisher])
        let asEnumValues = yaml.replacingOccurrences(of: "history: unknown", with: "history: 3")
            .replacingOccurrences(of: "reliability: reliable", with: "reliability: 1")
            .replacingOccurrences(of: "durability: volatile", with: "durability: 2")
            .replacingOccurrences(of: "liveliness: automatic", with: "liveliness: 1")
        XCTAssertEqual(asEnumValues, Self.rosbag2DefaultPublisherV8)
        XCTAssertTrue(yaml.hasPrefix("- history: unknown\n  depth: 0\n  reliability: reliable\n  durability: volatile\n"), yaml)
        XCTAssertEqual(ROS2QoSProfile.yaml([]), "[]")
        let two = ROS2QoSProfile.yaml([.nodeOutput, .discoveredDefaultPublisher], indent: 4)
        XCTAssertEqual(two.split(separator: "\n").filter { $0.hasPrefix("    - ") }.count, 2)
        XCTAssertTrue(two.hasPrefix("    - history: keep_last\n      depth: 10\n"), two)
    }

    func testROS2ChannelsCarryQoSAndTypeHash() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output)
        let channel = try writer.addROS2Channel(StringMessage.self, topic: "/instruction")
        try writer.finish()
        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes))
        let metadata = try XCTUnwrap(reader.channels[channel]?.metadata)
        XCTAssertEqual(metadata["topic_type_hash"], TypeHashTests.published[0].1)
        XCTAssertEqual(metadata["offered_qos_profiles"], ROS2QoSProfile.yaml([.discoveredDefaultPublisher]))
    }

    /// The whole record of a two-topic bag, laid out as yaml-cpp emits rosbag2's BagMetadata
    /// (compare rosbag2_cpp/test/rosbag2_cpp/bags/only_topics.mcap, version 8, whose QoS lists are
    /// strings where version 9 nests them).
    func testFinishedBagEndsWithRosbag2Record() throws {
        let output = MCAPMemoryOutput()
        let writer = try MCAPWriter(output: output, options: .init(fileName: "run.mcap"))
        let text = try writer.addROS2Channel(StringMessage.self, topic: "/instruction")
        let time = try writer.addROS2Channel(Time.self, topic: "/clock", qos: [])
        try writer.write(StringMessage(data: "a"), channelID: text, logTime: 1_000)
        try writer.write(Time(), channelID: time, logTime: 1_500)
        try writer.write(StringMessage(data: "b"), channelID: text, logTime: 3_000)
        try writer.finish()

        let reader = try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes))
        let records = try reader.metadata()
        XCTAssertEqual(records.map(\.name), ["rosbag2"])
        XCTAssertEqual(Array(records[0].metadata.keys), ["serialized_metadata"])
        let qos = ROS2QoSProfile.yaml([.discoveredDefaultPublisher], indent: 8)
        XCTAssertEqual(records[0].metadata["serialized_metadata"], """
            version: 9
            storage_identifier: mcap
            duration:
              nanoseconds: 2000
            starting_time:
              nanoseconds_since_epoch: 1000
            message_count: 3
            topics_with_message_count:
              - topic_metadata:
                  name: /clock
                  type: builtin_interfaces/msg/Time
                  serialization_format: cdr
                  offered_qos_profiles:
                    []
                  type_description_hash: \(TypeHashTests.published[1].1)
                message_count: 1
              - topic_metadata:
                  name: /instruction
                  type: std_msgs/msg/String
                  serialization_format: cdr
                  offered_qos_profiles:
            \(qos)
                  type_description_hash: \(TypeHashTests.published[0].1)
                message_count: 2
            compression_format: ""
            compression_mode: ""
            relative_file_paths:
              - run.mcap
            files:
              - path: run.mcap
                starting_time:
                  nanoseconds_since_epoch: 1000
                duration:
                  nanoseconds: 2000
                message_count: 3
            custom_data: ~
            ros_distro: jazzy
            """)
        XCTAssertEqual(Rosbag2Metadata.rosDistro(of: records[0]), "jazzy")
    }

    /// rosbag2's record of an empty bag: the largest int64 as start, no topics (as in rosbag2's test bags).
    func testEmptyBagRecord() throws {
        let output = MCAPMemoryOutput()
        try MCAPWriter(output: output).finish()
        let record = try XCTUnwrap(try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes)).metadata().first)
        let text = try XCTUnwrap(record.metadata["serialized_metadata"])
        XCTAssertTrue(text.contains("starting_time:\n  nanoseconds_since_epoch: 9223372036854775807\nmessage_count: 0\ntopics_with_message_count:\n  []\n"), text)
        XCTAssertTrue(text.contains("relative_file_paths:\n  []\nfiles:\n  []\n"), text)
    }

    func testOtherProfilesGetNoRosbag2Record() throws {
        let output = MCAPMemoryOutput()
        try MCAPWriter(output: output, options: .init(profile: "")).finish()
        XCTAssertEqual(try MCAPIndexedReader(input: MCAPMemoryInput(output.bytes)).metadata(), [])
    }

    func testScalarsAreQuotedOnlyWhenPlainWouldChangeThem() {
        XCTAssertEqual(YAMLScalar.string("/camera/image_raw"), "/camera/image_raw")
        XCTAssertEqual(YAMLScalar.string(""), "\"\"")
        XCTAssertEqual(YAMLScalar.string("true"), "\"true\"")
        XCTAssertEqual(YAMLScalar.string("123"), "\"123\"")
        XCTAssertEqual(YAMLScalar.string("a: b"), "\"a: b\"")
        XCTAssertEqual(YAMLScalar.string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"")
    }
}
