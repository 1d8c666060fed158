import Foundation
import Messages
import XCTest

/// Byte layouts produced by rosbags `serialize_cdr` (and identical from mcap_ros2), written down
/// here once; the Python interop tests re-check the codec against rosbags itself.
final class CDRKnownBytesTests: XCTestCase {
    private func hex(_ string: String) -> [UInt8] {
        string.split(separator: " ").compactMap { UInt8($0, radix: 16) }
    }

    private func assertCodec<M: ROSMessage>(_ message: M, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(message.cdrBytes(), hex(expected), file: file, line: line)
        XCTAssertEqual(try M(cdrBytes: hex(expected)), message, file: file, line: line)
    }

    func testStrings() throws {
        try assertCodec(StringMessage(data: "hi"), "00 01 00 00 03 00 00 00 68 69 00")
        try assertCodec(StringMessage(data: ""), "00 01 00 00 01 00 00 00 00")
    }

    func testHeader() throws {
        try assertCodec(Header(stamp: Time(sec: 1, nanosec: 2), frameId: "cam"),
                        "00 01 00 00 01 00 00 00 02 00 00 00 04 00 00 00 63 61 6d 00")
    }

    func testImagePadsBeforeStep() throws {
        let image = Image(header: Header(stamp: Time(sec: 5, nanosec: 6), frameId: "cam"), height: 1, width: 2,
                          encoding: "rgb8", isBigendian: 0, step: 6, data: [0, 1, 2, 3, 4, 5])
        try assertCodec(image, """
            00 01 00 00 05 00 00 00 06 00 00 00 04 00 00 00 63 61 6d 00 01 00 00 00 02 00 00 00 05 00 00 00
            72 67 62 38 00 00 00 00 06 00 00 00 06 00 00 00 00 01 02 03 04 05
            """.replacingOccurrences(of: "\n", with: " "))
    }

    func testCompressedImage() throws {
        let image = CompressedImage(header: Header(stamp: Time(sec: 3, nanosec: 4), frameId: "c"), format: "jpeg",
                                    data: [0xFF, 0xD8, 0xFF])
        try assertCodec(image, """
            00 01 00 00 03 00 00 00 04 00 00 00 02 00 00 00 63 00 00 00 05 00 00 00 6a 70 65 67 00 00 00 00
            03 00 00 00 ff d8 ff
            """.replacingOccurrences(of: "\n", with: " "))
    }

    /// Bytes from rosbags `serialize_cdr` with vla_msgs parsed from msgs/ (tools/interop). The uint64
    /// fields land on relative offset 24 and 32 with no padding; the pad before `current_index` is after
    /// the float32 data, `dimension_names` follows with its own count, and `contributing_chunks` is
    /// aligned to 4 after the last string's NUL.
    func testActionChunkMatchesRosbagsBytes() throws {
        let chunk = ActionChunk(header: Header(stamp: Time(sec: 1, nanosec: 2), frameId: "e"),
                                observationStamp: Time(sec: 3, nanosec: 4), inferenceSequence: 5,
                                publishSequence: 6, controlPeriod: 0.5, horizon: 1, actionDimension: 1,
                                actions: [2.0], currentIndex: 0, dimensionNames: ["g"], contributingChunks: 3)
        try assertCodec(chunk, """
            00 01 00 00 01 00 00 00 02 00 00 00 02 00 00 00 65 00 00 00 03 00 00 00 04 00 00 00 05 00 00 00
            00 00 00 00 06 00 00 00 00 00 00 00 00 00 00 00 00 00 e0 3f 01 00 00 00 01 00 00 00 01 00 00 00
            00 00 00 40 00 00 00 00 01 00 00 00 02 00 00 00 67 00 00 00 03 00 00 00
            """.replacingOccurrences(of: "\n", with: " "))
    }

    /// rosbags `serialize_cdr` of `std_msgs/msg/Empty`: the header and ROS 2's one placeholder byte.
    func testEmptyMatchesRosbagsBytes() throws {
        try assertCodec(EmptyMessage(), "00 01 00 00 00")
    }

    func testUpToThreeTrailingPaddingBytesAreTolerated() throws {
        XCTAssertEqual(try StringMessage(cdrBytes: hex("00 01 00 00 03 00 00 00 68 69 00 00 00 00")),
                       StringMessage(data: "hi"))
        XCTAssertThrowsError(try StringMessage(cdrBytes: hex("00 01 00 00 03 00 00 00 68 69 00 00 00 00 00"))) {
            XCTAssertEqual($0 as? CDRError, .trailingBytes(count: 4))
        }
    }

    func testRoundTripOfEverySample() throws {
        for message in MessageExamples.all { try assertRoundTrip(message) }
    }

    private func assertRoundTrip<M: ROSMessage>(_ message: M) throws {
        XCTAssertEqual(try M(cdrBytes: message.cdrBytes()), message, "\(M.typeName)")
    }

    func testTimeNanosecondConversion() {
        XCTAssertEqual(Time(nanoseconds: 1_500_000_000), Time(sec: 1, nanosec: 500_000_000))
        XCTAssertEqual(Time(nanoseconds: -1), Time(sec: -1, nanosec: 999_999_999))
        XCTAssertEqual(Time(sec: -1, nanosec: 999_999_999).nanoseconds, -1)
        // Int64.max ns = 9_223_372_036 s + 854_775_807 ns; the seconds clamp to Int32.max.
        XCTAssertEqual(Time(nanoseconds: .max), Time(sec: .max, nanosec: 854_775_807))
        // Int64.min ns = -9_223_372_037 s + 145_224_192 ns; the seconds clamp to Int32.min.
        XCTAssertEqual(Time(nanoseconds: .min), Time(sec: .min, nanosec: 145_224_192))
    }
}
