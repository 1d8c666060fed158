import XCTest
@testable import Inference

/// The extension points EfficientVLA needs: running a subset of LLaMA layers, loading only
/// those layers, and shrinking the sequence after a layer while keeping RoPE positions.
final class EfficientVLAHookTests: XCTestCase {
    private var model: CogACTModel { Fixture.model }

    /// Running layers 0–2 only must give the final norm of the reference state after layer 2
    /// (`llm_layer_states[3]`), computed here independently in Float64.
    func testRunningALayerSubsetMatchesTheReferenceStateAfterThoseLayers() throws {
        let d = model.config.llm.hidden
        let states = try Fixture.floats("llm_layer_states")
        let afterLayer2 = Fixture.slice(states, part: 3, of: model.config.llm.layers + 1)
        let lastRow = afterLayer2[(afterLayer2.count - d)...].map(Double.init)
        let weight = try WeightStore(directory: Fixture.modelDirectory)
            .tensor("llm_backbone.llm.model.norm.weight", shape: [d]).array
        let rms = (lastRow.reduce(0) { $0 + $1 * $1 } / Double(d) + Double(model.config.llm.rmsNormEps)).squareRoot()
        let expected = zip(lastRow, weight).map { Float($0 / rms * Double($1)) }

        let projected = try Fixture.floats("projected"), ids = try Fixture.inputIDs()
        assertClose(try model.cognition(projectedPatches: projected, inputIDs: ids, layers: [0, 1, 2]), expected, "layers 0-2")

        let pruned = try CogACTModel(directory: Fixture.modelDirectory, options: EngineOptions(blasThreads: 2, keepLLMLayers: [0, 1, 2]))
        XCTAssertEqual(pruned.llm.layerIndices, [0, 1, 2])
        assertClose(try pruned.cognition(projectedPatches: projected, inputIDs: ids), expected, "model loaded with layers 0-2")
    }

    /// RoPE scores depend only on position differences, so shifting every position by the
    /// same offset keeps the result (up to rounding), while spreading them changes it.
    func testExplicitPositionsReachRoPE() throws {
        let sequence = try model.llmInput(projectedPatches: Fixture.floats("projected"), inputIDs: Fixture.inputIDs())
        let rows = sequence.count / model.config.llm.hidden
        let reference = try Fixture.floats("cognition")
        let shifted = try model.llm.prefill(sequence: sequence, positions: Array(37 ..< 37 + rows))
        assertClose(shifted, reference, "positions shifted by 37")
        let spread = try model.llm.prefill(sequence: sequence, positions: (0 ..< rows).map { 2 * $0 })
        XCTAssertGreaterThan(relativeL2(spread, reference), 1e-3, "doubling the position gaps must change the feature")
        XCTAssertThrowsError(try model.llm.prefill(sequence: sequence, positions: [0]))
    }

    func testKeepingEveryRowIsBitwiseIdenticalToNoHook() throws {
        let projected = try Fixture.floats("projected"), ids = try Fixture.inputIDs()
        let plain = try model.cognition(projectedPatches: projected, inputIDs: ids)
        let selector = RowSelector(afterLayer: 1) { rows in Array(0 ..< rows) }
        XCTAssertEqual(try model.cognition(projectedPatches: projected, inputIDs: ids, observer: selector), plain)
    }

    func testDroppedRowsKeepTheirOriginalPositions() throws {
        let projected = try Fixture.floats("projected"), ids = try Fixture.inputIDs()
        let patches = model.patchCount
        // BOS, every fourth visual token, and all text tokens.
        let selector = RowSelector(afterLayer: 1) { rows in [0] + stride(from: 1, through: patches, by: 4) + Array(patches + 1 ..< rows) }
        let cognition = try model.cognition(projectedPatches: projected, inputIDs: ids, observer: selector)
        let expectedRows = 1 + patches / 4 + ids.count - 1
        XCTAssertEqual(selector.rowsPerLayer, [276, 276, expectedRows, expectedRows, expectedRows, 1])
        XCTAssertEqual(selector.positionsSeen[2], [0] + Array(stride(from: 1, through: patches, by: 4)) + Array(patches + 1 ..< patches + ids.count))
        XCTAssertTrue(cognition.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(relativeL2(cognition, try Fixture.floats("cognition")), 1e-3, "pruning 3/4 of the patches must change the feature")

        // Composed by hand: the dense state after layer 1, cut to the kept rows, run through
        // layers 2…5 at the kept rows' original positions.
        let d = model.config.llm.hidden, kept = try XCTUnwrap(selector.positionsSeen[2])
        let recorder = LlamaRecorder()
        _ = try model.cognition(projectedPatches: projected, inputIDs: ids, observer: recorder)
        let afterLayer1 = recorder.states[2]
        let cut = kept.flatMap { afterLayer1[$0 * d ..< ($0 + 1) * d] }
        assertClose(cognition, try model.llm.prefill(sequence: cut, positions: kept, layers: [2, 3, 4, 5]), "kept rows through layers 2-5")
        let renumbered = try model.llm.prefill(sequence: cut, positions: Array(kept.indices), layers: [2, 3, 4, 5])
        XCTAssertGreaterThan(relativeL2(cognition, renumbered), 1e-4, "renumbered positions would give another feature")
    }
}

/// Keeps the rows chosen by `choose(rowCount)` after one layer and records what the model reports.
private final class RowSelector: LlamaObserver {
    let afterLayer: Int
    let choose: (Int) -> [Int]
    var rowsPerLayer: [Int] = []
    var positionsSeen: [Int: [Int]] = [:]

    init(afterLayer: Int, choose: @escaping (Int) -> [Int]) {
        self.afterLayer = afterLayer
        self.choose = choose
    }

    func didFinishLayer(_ layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int) { rowsPerLayer.append(rows) }

    func rowsToKeep(afterLayer layer: Int, states: UnsafeBufferPointer<Float>, rows: Int, width: Int, positions: [Int]) -> [Int]? {
        positionsSeen[layer] = positions
        return layer == afterLayer ? choose(rows) : nil
    }
}
