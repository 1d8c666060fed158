import Foundation
import Imaging
import Inference

/// `vla-node bench --frames BAG`: each model runs every frame twice, with full compute and with
/// temporal reuse (its own `TemporalReuseSession`), the two interleaved frame by frame (their order
/// alternating) so that a shared machine's load hits both alike. Each run encodes the frame itself:
/// the same vision work in both unless reuse runs in the towers (`--reuse-vision-towers`).
///
/// Models: for a preset, dense and the paper's combined EfficientVLA setting (calibrated on the
/// synthetic input like `--accel`); for `--model`, dense and, when EfficientVLA switches are given,
/// that setting.
struct TemporalBenchmark {
    let bench: BenchCommand
    let options: FramesBenchOptions

    /// One model under test.
    private struct Subject {
        let name: String
        let model: CogACTModel
        let session: TemporalReuseSession
    }

    func run() throws -> TemporalBenchmarkReport {
        guard let path = options.frames else { throw BenchError("--frames is required") }
        let frames = try BagFrames(path: path, cameraTopic: options.cameraTopic, instructionTopic: nil,
                                   fallbackInstruction: "pick coke can", limit: options.maxFrames, stride: options.frameStride).read()
        let (subjects, inputIDs, unnormKey) = try makeSubjects(instruction: frames[0].instruction)
        bench.log("temporal reuse on \(frames.count) frames of \(path) (stride \(options.frameStride)): \(subjects[0].session.settings.summary)")
        var steps: [TemporalStepRow] = []
        for (index, frame) in frames.enumerated() {
            var generator = GaussianNoise(seed: UInt64(index + 1))
            let noise = generator.next(subjects[0].model.actionCount)
            for subject in subjects {
                let row = try step(subject, index: index, image: frame.image, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey)
                bench.log(String(format: "frame %d, %@: full %.0f ms, reuse %.0f ms, reused %d, cognition rel L2 %.2e",
                                 index, subject.name, row.fullMs, row.reuseMs, row.reused, row.cognitionRelL2))
                steps.append(row)
            }
        }
        return TemporalBenchmarkReport(bag: path, frameStride: options.frameStride, settings: subjects[0].session.settings,
                                       steps: steps, dense: subjects[0].name)
    }

    /// The frame through one model twice (full and reuse, in alternating order).
    private func step(_ subject: Subject, index: Int, image: RGBImage, inputIDs: [Int32], noise: [Float],
                      unnormKey: String) throws -> TemporalStepRow {
        let model = subject.model
        let prepared = model.preparePixels(image)
        var full: (ActionPrediction, FLOPCount)?, reuse: (ActionPrediction, FLOPCount, TemporalReuseReport?)?
        let runFull = {
            var timings = StageTimings()
            let projected = try model.encodeImage(dino: prepared.dino, siglip: prepared.siglip, timings: &timings)
            let prediction = try model.predict(projectedPatches: projected, inputIDs: inputIDs, noise: noise, unnormKey: unnormKey,
                                               timings: timings)
            full = (prediction, model.lastForwardFLOPs(tokenCount: inputIDs.count))
        }
        let runReuse = {
            let (prediction, report, _) = try subject.session.predict(resized: prepared.resized, dino: prepared.dino, siglip: prepared.siglip,
                                                                      inputIDs: inputIDs, noise: noise, unnormKey: unnormKey)
            reuse = (prediction, model.lastForwardFLOPs(tokenCount: inputIDs.count), report)
        }
        if index % 2 == 0 { try runFull(); try runReuse() } else { try runReuse(); try runFull() }
        guard let (dense, denseFLOPs) = full, let (reused, reusedFLOPs, report) = reuse else { throw BenchError("a run did not finish") }
        return TemporalStepRow(setting: subject.name, frame: index, fullMs: dense.timings.total, reuseMs: reused.timings.total,
                               fullGFLOP: denseFLOPs.total / 1e9, reuseGFLOP: reusedFLOPs.total / 1e9,
                               reused: report?.reused ?? 0, recomputed: report?.recomputed ?? model.patchCount,
                               staticPatches: report?.staticPatches ?? 0, reusedInTowers: report?.reusedInTowers ?? 0, fullRefresh: report?.refresh?.rawValue,
                               cognitionRelL2: AccelerationBenchmark.relativeL2(reused.cognition, dense.cognition),
                               actionsRelL2: AccelerationBenchmark.relativeL2(reused.actions, dense.actions))
    }

    /// The models, the prompt's ids and the statistics key.
    private func makeSubjects(instruction: String) throws -> ([Subject], [Int32], String) {
        let settings = options.temporalReuse.settings
        func subject(_ name: String, _ model: CogACTModel) throws -> Subject {
            let session = TemporalReuseSession(model: model)
            try session.configure(settings)
            return Subject(name: name, model: model, session: session)
        }
        if let directory = options.model {
            let url = URL(fileURLWithPath: directory)
            let dense = try CogACTModel(directory: url, options: EngineOptions(blasThreads: bench.blas.threads))
            let tokenizer = try SentencePieceTokenizer(contentsOf: url.appendingPathComponent("tokenizer.model"))
            let ids = try PromptBuilder(config: dense.config, tokenizer: tokenizer).inputIDs(for: instruction)
            guard let key = dense.statistics.datasets.keys.sorted().first else { throw BenchError("\(directory) has no dataset statistics") }
            var subjects = [try subject("dense", dense)]
            if bench.acceleration.isAccelerated {
                let accelerated = try bench.acceleration.settings(calibrate: { throw BenchError("give a --prune-plan with --model") })
                subjects.append(try subject("efficientvla", try CogACTModel(directory: url, options: EngineOptions(blasThreads: bench.blas.threads,
                                                                                                               acceleration: accelerated))))
            }
            return (subjects, ids, key)
        }
        let models = BenchModels(config: bench.preset.config, dtype: bench.dtype, blasThreads: bench.blas.threads)
        let input = try BenchCommand.syntheticInput(config: models.config)
        let dense = try models.build(.dense).model
        let calibration = try BenchCommand.calibrate(dense, input: input)
        let combined = AccelerationComparison.paperCombined(calibration, layers: models.config.llm.layers)
        return ([try subject("dense", dense), try subject("combined (paper)", try models.build(combined).model)], input.inputIDs, input.unnormKey)
    }
}
