import Foundation
import XCTest
@testable import Inference

/// tools/convert/convert_cogact.py on a checkpoint written by `torch.save` (ConverterFixtures/cogact-mini.pt,
/// the tiny model in the released layout): the engine must load the result, every tensor must equal the
/// value torch stored, and the converted model must reproduce the tiny fixture's reference actions.
final class ConverterTests: XCTestCase {
    /// Tensors the default conversion drops (inference never reads them); the fixture ViTs have 4 blocks.
    private static let unusedMarkers = ["llm_backbone.llm.lm_head.weight", ".attn_pool.", "_featurizer.norm.",
                                        "history_embedder", "_featurizer.blocks.3."]
    private static let embedName = "llm_backbone.llm.model.embed_tokens.weight"

    private func openTiny() throws -> SafeTensorsFile {
        try SafeTensorsFile(path: Fixture.modelDirectory.appendingPathComponent("model.safetensors").path)
    }

    private func openExpected() throws -> SafeTensorsFile { try SafeTensorsFile(path: ConverterPython.expectedValues.path) }

    /// Original token id of each embedding row kept in the fixture.
    private func embedRows() throws -> [Int] { try openExpected().integerTensor("embed_rows").values }

    /// The tiny model's value of `name`, with the embedding rows the fixture keeps.
    private func tinyValue(_ name: String, in tiny: SafeTensorsFile, rows: [Int]) throws -> [Float] {
        guard name == Self.embedName else { return try tiny.floatTensor(name).array }
        let table = try tiny.floatTensor(name)
        let width = table.shape[1]
        return rows.flatMap { Array(table.buffer[$0 * width ..< ($0 + 1) * width]) }
    }

    private func read(_ store: WeightStore, _ name: String, shape: [Int]) throws -> [Float] {
        try store.tensor(name, shape: shape).array
    }

    func testConvertedFixtureHoldsTheTinyWeightsAndConfig() throws {
        let out = try ConverterPython.convert()
        defer { try? FileManager.default.removeItem(at: out) }
        let store = try WeightStore(directory: out)
        let tinyFile = try openTiny(), rows = try embedRows()
        let wanted = Set(tinyFile.keys.filter { name in !Self.unusedMarkers.contains { name.contains($0) } })
        XCTAssertEqual(Set(store.keys), wanted)
        XCTAssertEqual(wanted.count, 184)
        let converted = try SafeTensorsFile(path: out.appendingPathComponent("model.safetensors").path)
        for name in wanted.sorted() {
            let entry = try XCTUnwrap(converted.entry(name))
            XCTAssertEqual(entry.dtype, .f32, name)
            XCTAssertEqual(try read(store, name, shape: entry.shape), try tinyValue(name, in: tinyFile, rows: rows), name)
        }

        var tinyConfig = try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json"))
        tinyConfig.llm.vocab = rows.count
        XCTAssertEqual(try ModelConfig.load(from: out.appendingPathComponent("config.json")), tinyConfig)
        for file in ["dataset_statistics.json", "tokenizer.model"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(file)),
                           try Data(contentsOf: Fixture.modelDirectory.appendingPathComponent(file)), file)
        }
    }

    func testConvertedModelReproducesTheReferenceActions() throws {
        let out = try ConverterPython.convert()
        defer { try? FileManager.default.removeItem(at: out) }
        let model = try CogACTModel(directory: out, options: EngineOptions(blasThreads: 2))
        // The fixture keeps only some embedding rows; an embedding lookup is a gather, so looking up the
        // kept row of each reference token is the same computation as the full table.
        let rowOfToken = Dictionary(uniqueKeysWithValues: try embedRows().enumerated().map { ($0.element, Int32($0.offset)) })
        let inputIDs = try Fixture.inputIDs().map { try XCTUnwrap(rowOfToken[Int($0)], "token \($0) not in the fixture") }
        let prediction = try model.forward(pixelValuesDino: Fixture.floats("pixel_values_dino"),
                                           pixelValuesSiglip: Fixture.floats("pixel_values_siglip"),
                                           inputIDs: inputIDs, noise: Fixture.floats("noise"), unnormKey: "fixture_robot")
        assertClose(prediction.cognition, try Fixture.floats("cognition"), "cognition")
        assertClose(prediction.sample, Fixture.slice(try Fixture.floats("ddim_x"), part: 9, of: 10), "last DDIM sample")
        assertClose(prediction.normalizedActions, try Fixture.floats("normalized_actions"), "normalized actions")
        assertClose(prediction.actions, try Fixture.floats("actions"), "actions")
    }

    func testKeepAllBFloat16ShardsMatchTorchCasts() throws {
        let out = try ConverterPython.convert(["--keep-all", "--dtype", "bf16", "--shard-size", "1MB"])
        defer { try? FileManager.default.removeItem(at: out) }
        let shards = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix("model-") }.sorted()
        XCTAssertGreaterThan(shards.count, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.safetensors").path))
        var names: Set<String> = []
        for shard in shards {
            let file = try SafeTensorsFile(path: out.appendingPathComponent(shard).path)
            for name in file.keys {
                names.insert(name)
                XCTAssertEqual(file.entry(name)?.dtype, name.hasPrefix("action_model.") ? .f32 : .bf16, name)
            }
        }
        XCTAssertEqual(names.count, try openTiny().keys.count + 1, "every tensor plus the tied lm_head")
        let store = try WeightStore(directory: out)
        let expectedFile = try openExpected()
        let casts = expectedFile.keys.filter { $0.hasPrefix("bf16.") }
        XCTAssertEqual(casts.count, 3)
        for key in casts {
            let name = String(key.dropFirst("bf16.".count))
            let torchValue = try expectedFile.floatTensor(key)
            XCTAssertEqual(try read(store, name, shape: torchValue.shape), torchValue.array, name)
        }
        // The F32 action head is untouched by --dtype, so the DDIM loop reproduces the reference exactly.
        let model = try CogACTModel(directory: out, options: EngineOptions(blasThreads: 2))
        let sample = try model.sampleActions(cognition: Fixture.floats("cognition"), noise: Fixture.floats("noise"))
        let steps = sample.timesteps.count
        assertClose(try XCTUnwrap(sample.samples.last), Fixture.slice(try Fixture.floats("ddim_x"), part: steps - 1, of: steps),
                    "last DDIM sample")
    }

    func testHostileCheckpointsExitNonZeroWithAMessage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vla-convert-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = try Data(contentsOf: ConverterPython.miniCheckpoint)
        let cases: [(name: String, bytes: Data, message: String)] = [
            ("not-a-zip.pt", Data("just text, no archive".utf8), "not a PyTorch zip checkpoint"),
            ("truncated.pt", checkpoint.prefix(checkpoint.count / 2), "truncated"),
            ("tail-cut.pt", checkpoint.prefix(checkpoint.count - 100), "truncated"),
        ]
        for (name, bytes, message) in cases {
            let path = directory.appendingPathComponent(name)
            try bytes.write(to: path)
            XCTAssertThrowsError(try ConverterPython.convert(checkpoint: path), name) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("exited 1") && text.contains(message), "\(name): \(text)")
            }
        }
    }

    /// The Python unit tests (reader, casts, shards, malformed layouts) run as part of `swift test`.
    func testPythonConverterSuitePasses() throws {
        let result = try ConverterPython.run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tools/convert/tests"])
        XCTAssertEqual(result.status, 0, "pytest failed:\n\(result.output)\n\(result.error)")
    }
}
