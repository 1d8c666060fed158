// swift-tools-version: 6.0
//
// vla-node: a ZeroMQ node that runs a CogACT vision-language-action policy on CPUs,
// accelerated with EfficientVLA. See README.md for the layout and the two commands.
import PackageDescription

/// Fast math in release builds; debug builds (tests) keep every check.
let releaseSpeed: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "vla-node",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vla-node", targets: ["VLANodeCLI"]),
        .executable(name: "vla-fuzz", targets: ["VLAFuzz"]),
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Messages", targets: ["Messages"]),
        .library(name: "Bag", targets: ["Bag"]),
        .library(name: "VLANode", targets: ["VLANode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian package names in `providers`).
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),

        // PNG decoding with libpng's standard read API; libpng's longjmp errors stay inside C.
        .target(name: "CPNGDecode", dependencies: ["CPNG"]),
        // Exact BF16/F16 → F32 widening of weight panels (vectorised C; F16C where the CPU has it).
        .target(name: "CWiden", cSettings: [.unsafeFlags(["-O3"])]),
        // Few-row GEMM, activations and softmax (AVX2 + FMA at run time, glibc libmvec; portable C otherwise).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])],
                linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))]),
        // Safe Swift API over libzmq.
        .target(name: "ZMQ", dependencies: ["CZeroMQ"]),
        // Image decoding (PNG, JPEG, PPM) and PIL-exact antialiased resampling. It parses untrusted
        // bytes, so release builds keep bounds and overflow checks (no -Ounchecked).
        .target(name: "Imaging", dependencies: ["CPNG", "CPNGDecode", "CJPEG", "CKernels"]),
        // The CogACT engine: weights, tokenizer, ViTs, projector, LLaMA, DiT, DDIM, EfficientVLA.
        .target(name: "Inference", dependencies: ["COpenBLAS", "CWiden", "CKernels", "Imaging"], swiftSettings: releaseSpeed),
        // SHA-256 for configuration digests and ROS 2 type hashes.
        .target(name: "Digest"),
        // ROS 2 message types (msgs/) and their CDR codec.
        .target(name: "Messages", dependencies: ["Digest"]),
        // MCAP bag writer and reader.
        .target(name: "Bag", dependencies: ["Messages", "CZstd", "CLZ4"]),
        // The long-running node: ingress, inference thread, control loop, latency topic.
        .target(name: "VLANode", dependencies: [
            "ZMQ", "Inference", "Messages", "Bag", "Imaging", "Digest",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The `vla-node` command line.
        .executableTarget(name: "VLANodeCLI", dependencies: [
            "VLANode", "Inference", "Bag", "Messages", "ZMQ", "Imaging",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: releaseSpeed),

        // libFuzzer harness over the parsers (scripts/fuzz.sh); a plain build replays inputs.
        .executableTarget(name: "VLAFuzz", dependencies: ["Imaging", "Messages", "Bag", "VLANode"]),

        // Helpers shared by the test targets (locating and running the built executable).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ZMQTests", dependencies: ["ZMQ"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Digest"], exclude: ["Fixtures"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "CKernels", "Imaging", "Bag", "Messages", "TestSupport"],
                    exclude: ["Fixtures", "NPYFixtures", "ConverterFixtures"]),
        .testTarget(name: "MessagesTests", dependencies: ["Messages"]),
        .testTarget(name: "BagTests", dependencies: ["Bag", "Messages", "TestSupport"]),
        .testTarget(name: "VLANodeTests", dependencies: [
            "VLANode", "ZMQ", "Messages", "Bag", "Inference", "Imaging", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
