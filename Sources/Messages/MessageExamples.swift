/// Populated example values of every message type, chosen to exercise CDR alignment (odd-length strings
/// before 4- and 8-byte fields, empty and non-empty sequences, negative and large integers). Used by the
/// codec tests and interop checks, and handy as smoke-test traffic.
public enum MessageExamples {
    private static let header = Header(stamp: Time(sec: -7, nanosec: 999_999_999), frameId: "cam")

    /// At least one example of each type in `MessageCatalog.all`.
    public static let all: [any ROSMessage] = [
        Time(sec: 1_700_000_000, nanosec: 123_456_789),
        header,
        StringMessage(data: "pick up the red block — ünïcödé ✓"),
        StringMessage(data: ""),
        EmptyMessage(),
        Image(header: header, height: 2, width: 3, encoding: "rgb8", isBigendian: 0, step: 9,
              data: (0..<18).map { UInt8($0 * 13 % 256) }),
        CompressedImage(header: Header(stamp: Time(sec: 3, nanosec: 4), frameId: "c"), format: "jpeg",
                        data: [0xFF, 0xD8, 0xFF, 0xE0, 0x00]),
        ActionChunk(header: Header(stamp: Time(sec: 10, nanosec: 500), frameId: "base_link"),
                    observationStamp: Time(sec: 9, nanosec: 900_000_000), inferenceSequence: 1 << 40 + 3,
                    publishSequence: 77, controlPeriod: 0.1, horizon: 2, actionDimension: 3,
                    actions: [0.5, -1.25, 3.0e-5, 1.0e10, -0.1, 7], currentIndex: 1,
                    dimensionNames: ["x", "yy", "gripper"], contributingChunks: 3),
        ActionChunk(header: Header(frameId: "e"), horizon: 0, actionDimension: 7),
        InferenceLatency(header: Header(stamp: Time(sec: 11, nanosec: 1), frameId: "n"), sequence: 5,
                         inferenceSequence: 4, observationStamp: Time(sec: 9, nanosec: 9), decodeMs: 1.5,
                         visionMs: 1200.25, projectorMs: 3.125, llmMs: 20000.5, actionHeadMs: 900.75,
                         postMs: 0.0625, inferenceMs: 22106.1875, endToEndMs: 22300.0, frameAgeMs: 12.5,
                         framesReceived: 1_000_000, framesSkipped: 999_000, queueDrops: 3, recorderDrops: 7, deadlineMisses: 42,
                         gflops: 1234.5678, llmLayersKept: 28, llmLayersTotal: 32, visualTokensKept: 56,
                         visualTokensTotal: 256, cacheInterval: 2, diffusionSteps: 10,
                         visualTokensReused: 130, visualTokensRecomputed: 126, fullRefresh: true),
    ]
}
