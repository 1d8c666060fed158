import ArgumentParser

/// `--threads`, shared by the commands that run the inference engine (`bench`, `calibrate`, `predict`).
struct BLASThreadsOption: ParsableArguments {
    @Option(help: "OpenBLAS threads (default: one per core).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}
