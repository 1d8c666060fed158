/// One calibration input, preprocessed exactly as for prediction.
public struct CalibrationSample: Sendable {
    /// Normalised CHW pixels for DINOv2.
    public var dinoPixels: [Float]
    /// Normalised CHW pixels for SigLIP.
    public var siglipPixels: [Float]
    /// BOS + prompt ids + cognition suffix.
    public var inputIDs: [Int32]

    /// A sample from preprocessed inputs.
    public init(dinoPixels: [Float], siglipPixels: [Float], inputIDs: [Int32]) {
        self.dinoPixels = dinoPixels
        self.siglipPixels = siglipPixels
        self.inputIDs = inputIDs
    }
}

/// Runs the dense model over calibration samples and accumulates EfficientVLA's layer
/// importance (Eq. 1: `I(ℓ) = 1 − mean_samples mean_positions cos(h_ℓ, h_ℓ₊₁)`) and a
/// training-free MLP channel importance (`mean_rows |silu(gate)·up|_c · ‖down[:, c]‖₂`).
///
/// Thread safety: drives its model and accumulates state; use it from one thread at a time.
public final class Calibrator {
    private let model: CogACTModel
    private let observer: CalibrationObserver
    private let downNorms: [[Double]]
    /// Samples added so far.
    public private(set) var sampleCount = 0

    /// A calibrator over `model`, which must be dense (every layer loaded at full width, no
    /// token selection): scores of a pruned model would not describe the original layers.
    public init(model: CogACTModel) throws {
        let layers = model.config.llm.layers
        guard model.llm.layerIndices == Array(0 ..< layers),
              model.llm.mlpWidths.values.allSatisfy({ $0 == model.config.llm.intermediate }),
              model.acceleration.activeBudget(patches: model.patchCount) == nil else {
            throw AccelerationError.invalidCalibration("the model must be dense (no dropped layers, full MLP width, no token budget)")
        }
        self.model = model
        observer = CalibrationObserver(layers: layers, width: model.config.llm.intermediate)
        downNorms = (0 ..< layers).map { model.llm.downColumnNorms(layer: $0) ?? [] }
    }

    /// Runs one sample through vision, projector and the LLaMA prefill, accumulating scores.
    public func add(_ sample: CalibrationSample) throws {
        let projected = try model.encodeImage(dino: sample.dinoPixels, siglip: sample.siglipPixels)
        try add(projectedPatches: projected, inputIDs: sample.inputIDs)
    }

    /// Accumulates the scores of one prefill over already projected patches.
    public func add(projectedPatches: [Float], inputIDs: [Int32]) throws {
        _ = try model.cognition(projectedPatches: projectedPatches, inputIDs: inputIDs, observer: observer)
        sampleCount += 1
    }

    /// The scores averaged over the samples added; throws if there are none.
    public func result() throws -> CalibrationResult {
        guard sampleCount > 0 else { throw AccelerationError.invalidCalibration("no samples were added") }
        let n = Double(sampleCount)
        let layerScores = observer.similaritySums.map { Float(1 - $0 / n) }
        let channelScores = (0 ..< observer.magnitudeSums.count).map { layer -> [Float] in
            let rows = Double(max(observer.rowCounts[layer], 1))
            return zip(observer.magnitudeSums[layer], downNorms[layer]).map { Float($0 / rows * $1) }
        }
        return CalibrationResult(layerImportance: layerScores, channelImportance: channelScores, sampleCount: sampleCount)
    }
}

/// Accumulates per-layer mean cosine similarity and per-channel activation magnitudes.
private final class CalibrationObserver: LlamaObserver {
    private(set) var similaritySums: [Double]
    private(set) var magnitudeSums: [[Double]]
    private(set) var rowCounts: [Int]
    private var previous: [Float] = []
    private var width = 0

    init(layers: Int, width: Int) {
        similaritySums = Array(repeating: 0, count: layers)
        magnitudeSums = Array(repeating: Array(repeating: 0, count: width), count: layers)
        rowCounts = Array(repeating: 0, count: layers)
    }

    var needsAllRowsInLastLayer: Bool { true }

    func didEmbed(states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        previous = Array(states)
        self.width = width
    }

    func wantsMLPActivations(layer: Int) -> Bool { true }

    func didComputeMLPActivations(layer: Int, activations: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        guard layer < magnitudeSums.count, width == magnitudeSums[layer].count else { return }
        magnitudeSums[layer].withUnsafeMutableBufferPointer { sums in
            for r in 0 ..< rows {
                for c in 0 ..< width { sums[c] += Double(abs(activations[r * width + c])) }
            }
        }
        rowCounts[layer] += rows
    }

    func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int) {
        let output = Array(states)
        if layer < similaritySums.count {
            similaritySums[layer] += Double(1 - LayerImportance.score(input: previous, output: output, width: width))
        }
        previous = output
    }
}
