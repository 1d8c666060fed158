// vla-fuzz: coverage-guided fuzzing of the node's parsers (scripts/fuzz.sh builds and runs it).
//
// Built with `-DFUZZING -sanitize=fuzzer,address`, this file is only the libFuzzer entry point, and
// `VLA_FUZZ_TARGET` names the target (`FuzzTarget` raw values); libFuzzer provides `main`. Built plainly
// (as `swift build` does), it replays files: `vla-fuzz TARGET FILE...` runs each file through the
// target, which is how a crash input found by the fuzzer is reproduced in a debug or sanitizer build.
import Foundation

#if FUZZING
/// The target chosen by `VLA_FUZZ_TARGET`, read once.
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["VLA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FuzzReplay.fail("set VLA_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))", status: 2)
    }
    return target
}()

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
}

/// libFuzzer's driver (a function of its runtime, for programs that own `main`).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                             _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's `main` as SwiftPM names it for this target: hands the command line to libFuzzer.
@_cdecl("VLAFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector, fuzzOneInput)
}
#endif

/// Replays input files through a target (the plain build's command line).
enum FuzzReplay {
    /// Prints `message` to standard error and exits with `status`.
    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("vla-fuzz: \(message)\n".utf8))
        exit(status)
    }

    /// Runs `vla-fuzz TARGET FILE...`.
    static func run(_ arguments: ArraySlice<String>) {
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            fail("usage: vla-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...", status: 2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)", status: 1) }
            target.run([UInt8](data))
        }
        print("vla-fuzz: \(arguments.count - 1) input(s) through \(target.rawValue), no crash")
    }
}

#if !FUZZING
/// The plain build's entry point (a fuzzing build takes libFuzzer's `main` instead).
@main
enum ReplayCommand {
    static func main() { FuzzReplay.run(CommandLine.arguments.dropFirst()) }
}
#endif
