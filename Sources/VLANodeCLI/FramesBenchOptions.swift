import ArgumentParser

/// `vla-node bench --frames BAG`: temporal reuse on a bag's consecutive camera frames.
struct FramesBenchOptions: ParsableArguments {
    @Option(help: "An MCAP bag of camera frames: benchmark temporal reuse on its consecutive frames (full compute vs reuse, interleaved frame by frame).")
    var frames: String?

    @Option(help: "Camera topic of --frames (default: the bag's only image topic).")
    var cameraTopic: String?

    @Option(help: "Frames of --frames to run.")
    var maxFrames: Int = 8

    @Option(help: "Use every k-th camera frame of --frames (the frames an inference loop would see at k camera frames per inference).")
    var frameStride: Int = 1

    @Option(help: "A model directory to run instead of the preset's random weights: its own weights and tokenizer (with --frames, the instruction comes from the bag).")
    var model: String?

    @OptionGroup(title: "Temporal reuse (with --frames)")
    var temporalReuse: TemporalReuseOptions

    func validate() throws {
        guard maxFrames >= 2 else { throw ValidationError("--max-frames must be at least 2 (a first frame and one to reuse it)") }
        guard frameStride >= 1 else { throw ValidationError("--frame-stride must be at least 1") }
    }
}
