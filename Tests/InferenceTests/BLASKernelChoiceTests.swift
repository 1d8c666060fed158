import XCTest
@testable import Inference

/// The OPENBLAS_CORETYPE decision: forced only when OpenBLAS's detection fell back to a family
/// without AVX2 and the CPU's own flags support a newer one.
final class BLASKernelChoiceTests: XCTestCase {
    /// The flags of the KVM guest on which OpenBLAS 0.3.21 chose Prescott (model name "Intel(R)
    /// Xeon(R) Processor"; the AVX-512 subset that matters, as /proc/cpuinfo lists it).
    private let kvmXeonFlags: Set<String> = ["sse3", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f",
                                             "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_fp16"]

    func testPrescottOnAnAVX512CPUIsReplacedBySkylakeX() {
        XCTAssertEqual(BLASKernelChoice.override(detectedCore: "Prescott", cpuFlags: kvmXeonFlags), "SkylakeX")
    }

    func testAVX512WithBF16GetsCooperlakeTheFamilyWithBF16Kernels() {
        XCTAssertEqual(BLASKernelChoice.override(detectedCore: "Prescott", cpuFlags: kvmXeonFlags.union(["avx512_bf16"])),
                       "Cooperlake")
    }

    func testAnAVX2CPUWithoutAVX512GetsHaswell() {
        XCTAssertEqual(BLASKernelChoice.override(detectedCore: "Sandybridge", cpuFlags: ["avx", "avx2", "fma"]), "Haswell")
        XCTAssertEqual(BLASKernelChoice.override(detectedCore: "NEHALEM", cpuFlags: ["avx2", "fma"]), "Haswell")
    }

    /// Partial AVX-512 (no BW/VL, as on Knights Landing) is not SkylakeX; AVX2 alone without FMA is not Haswell.
    func testIncompleteFeatureSetsAreNotUpgraded() {
        XCTAssertEqual(BLASKernelChoice.override(detectedCore: "Prescott", cpuFlags: ["avx2", "fma", "avx512f", "avx512cd"]),
                       "Haswell")
        XCTAssertNil(BLASKernelChoice.override(detectedCore: "Prescott", cpuFlags: ["sse3", "avx", "avx2"]))
        XCTAssertNil(BLASKernelChoice.override(detectedCore: "Prescott", cpuFlags: []))
    }

    /// A family OpenBLAS recognised is kept, even when the flags would allow more.
    func testRecognisedFamiliesAreKept() {
        for core in ["Zen", "Haswell", "SkylakeX", "Cooperlake", "SapphireRapids", "ARMV8", "NeoverseN1"] {
            XCTAssertNil(BLASKernelChoice.override(detectedCore: core, cpuFlags: kvmXeonFlags), core)
        }
    }

    func testFlagsAreReadFromTheFirstFlagsLineOfCpuinfo() {
        let cpuinfo = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse3 avx2 fma avx512f
            bugs\t\t: spectre_v1

            processor\t: 1
            flags\t\t: fpu
            """
        XCTAssertEqual(BLASKernelChoice.cpuFlags(cpuinfo: cpuinfo), ["fpu", "sse3", "avx2", "fma", "avx512f"])
        XCTAssertEqual(BLASKernelChoice.cpuFlags(cpuinfo: "processor\t: 0\nFeatures\t: fp asimd\n"), [])
    }
}
