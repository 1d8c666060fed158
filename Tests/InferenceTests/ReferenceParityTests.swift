import XCTest
@testable import Inference

/// Stage-by-stage parity with `cogact-tiny/reference.safetensors` (timm ViTs, transformers
/// LLaMA, CogACT's DiT and sampler, run in fp32 by the fixture generator).
final class ReferenceParityTests: XCTestCase {
    private var model: CogACTModel { Fixture.model }

    func testVisionFeaturesMatchTimm() throws {
        let fused = try model.visionFeatures(dino: Fixture.floats("pixel_values_dino"), siglip: Fixture.floats("pixel_values_siglip"))
        let dw = model.config.vision.dino.width, sw = model.config.vision.siglip.width
        let rows = model.patchCount
        let dino = (0 ..< rows).flatMap { fused[$0 * (dw + sw) ..< $0 * (dw + sw) + dw] }
        let siglip = (0 ..< rows).flatMap { fused[$0 * (dw + sw) + dw ..< ($0 + 1) * (dw + sw)] }
        assertClose(dino, try Fixture.floats("dino_features"), "dino_features")
        assertClose(siglip, try Fixture.floats("siglip_features"), "siglip_features")
    }

    func testProjectorMatchesReference() throws {
        let features = try Fixture.floats("dino_features"), siglip = try Fixture.floats("siglip_features")
        let dw = model.config.vision.dino.width, sw = model.config.vision.siglip.width
        var fused: [Float] = []
        for row in 0 ..< model.patchCount {
            fused += features[row * dw ..< (row + 1) * dw]
            fused += siglip[row * sw ..< (row + 1) * sw]
        }
        assertClose(try model.project(features: fused), try Fixture.floats("projected"), "projected")
    }

    func testLanguageModelStatesAttentionAndCognition() throws {
        let recorder = LlamaRecorder(attentionLayers: Set(0 ..< model.config.llm.layers))
        let cognition = try model.cognition(projectedPatches: Fixture.floats("projected"), inputIDs: Fixture.inputIDs(),
                                            observer: recorder)
        let layers = model.config.llm.layers
        let states = try Fixture.floats("llm_layer_states")
        XCTAssertEqual(recorder.states.count, layers + 1)
        for (i, state) in recorder.states.enumerated() {
            assertClose(state, Fixture.slice(states, part: i, of: layers + 1), "llm_layer_states[\(i)]")
        }
        let attention = try Fixture.floats("llm_attention")
        let heads = model.config.llm.heads
        for layer in 0 ..< layers {
            let probabilities = try XCTUnwrap(recorder.attention[layer], "attention of layer \(layer) not recorded")
            XCTAssertEqual(probabilities.count, heads)
            for (head, p) in probabilities.enumerated() {
                assertClose(p, Fixture.slice(attention, part: layer * heads + head, of: layers * heads), "llm_attention[\(layer),\(head)]")
            }
        }
        let finalNorm = try Fixture.floats("llm_final_norm")
        let reference = Array(finalNorm[(finalNorm.count - model.config.llm.hidden)...])
        assertClose(cognition, reference, "cognition (last row of llm_final_norm)")
        assertClose(cognition, try Fixture.floats("cognition"), "cognition")
        assertClose(recorder.layerImportance, try Fixture.floats("layer_importance"), "layer_importance")
    }

    func testPlainPrefillComputingOnlyTheLastRowGivesTheSameCognition() throws {
        let cognition = try model.cognition(projectedPatches: Fixture.floats("projected"), inputIDs: Fixture.inputIDs())
        assertClose(cognition, try Fixture.floats("cognition"), "cognition (last-row-only final layer)")
    }

    func testDDIMStepsMatchReference() throws {
        let sample = try model.sampleActions(cognition: Fixture.floats("cognition"), noise: Fixture.floats("noise"))
        XCTAssertEqual(sample.timesteps, try Fixture.reference.integerTensor("ddim_timesteps").values)
        let eps = try Fixture.floats("ddim_eps"), xs = try Fixture.floats("ddim_x")
        let steps = sample.timesteps.count
        for step in 0 ..< steps {
            assertClose(sample.eps[step], Fixture.slice(eps, part: step, of: steps), "ddim_eps[\(step)]")
            assertClose(sample.samples[step], Fixture.slice(xs, part: step, of: steps), "ddim_x[\(step)]")
        }
    }

    func testPostprocessingMatchesReference() throws {
        let last = Fixture.slice(try Fixture.floats("ddim_x"), part: 9, of: 10)
        let unnormKey = try reference().unnormKey
        let (normalized, actions) = try model.postprocess(sample: last, unnormKey: unnormKey)
        assertClose(normalized, try Fixture.floats("normalized_actions"), "normalized_actions")
        assertClose(actions, try Fixture.floats("actions"), "actions")
    }

    func testForwardRunsTheWholePipeline() throws {
        let prediction = try model.forward(pixelValuesDino: Fixture.floats("pixel_values_dino"),
                                           pixelValuesSiglip: Fixture.floats("pixel_values_siglip"),
                                           inputIDs: Fixture.inputIDs(), noise: Fixture.floats("noise"),
                                           unnormKey: try reference().unnormKey)
        assertClose(prediction.cognition, try Fixture.floats("cognition"), "forward cognition")
        assertClose(prediction.sample, Fixture.slice(try Fixture.floats("ddim_x"), part: 9, of: 10), "forward sample")
        assertClose(prediction.actions, try Fixture.floats("actions"), "forward actions")
        XCTAssertGreaterThan(prediction.timings.llm, 0)
        XCTAssertEqual(prediction.timings.total,
                       prediction.timings.vision + prediction.timings.projector + prediction.timings.llm
                           + prediction.timings.action + prediction.timings.post, accuracy: 1e-9)
    }

    func testBadInputsAreTypedErrors() throws {
        XCTAssertThrowsError(try model.visionFeatures(dino: [0, 1], siglip: [])) { error in
            XCTAssertEqual(error as? InferenceError, .wrongInputSize(name: "pixel values (dino)", expected: model.pixelCount, found: 2))
        }
        let projected = try Fixture.floats("projected")
        XCTAssertThrowsError(try model.cognition(projectedPatches: projected, inputIDs: [1, 40000])) { error in
            XCTAssertEqual(error as? InferenceError, .tokenOutOfRange(id: 40000, vocab: 32064))
        }
        XCTAssertThrowsError(try model.cognition(projectedPatches: projected, inputIDs: [])) { error in
            XCTAssertEqual(error as? InferenceError, .emptyTokenList)
        }
        XCTAssertThrowsError(try model.postprocess(sample: Array(repeating: 0, count: model.actionCount), unnormKey: "nope")) { error in
            XCTAssertEqual(error as? ConfigError, .unknownUnnormKey("nope", available: ["fixture_robot"]))
        }
    }

    private struct ReferenceJSON: Decodable { let unnormKey: String
        enum CodingKeys: String, CodingKey { case unnormKey = "unnorm_key" } }

    private func reference() throws -> ReferenceJSON {
        try JSONDecoder().decode(ReferenceJSON.self, from: Data(contentsOf: Fixture.tinyRoot.appendingPathComponent("reference.json")))
    }
}
