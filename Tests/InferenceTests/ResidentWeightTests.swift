import Foundation
import XCTest
@testable import Inference

/// Weights used in their stored type from the memory map: a model stored in BF16 (or F16)
/// gives bitwise the outputs of the same model stored in F32 holding the widened values,
/// whether the F32 file is aligned (multiplied in place) or not (copied through the panels),
/// single-file or sharded, dense or with every load-time rewrite (LayerScale folding, stacking,
/// MLP-channel pruning, dropped layers).
final class ResidentWeightTests: XCTestCase {
    /// The fixture's tensors rounded to `dtype`: the 16-bit bit patterns and the widened values.
    private struct RoundedTensor {
        let name: String, shape: [Int], halves: [UInt16], widened: [Float]
    }

    private static let rounded: [WeightDType: [RoundedTensor]] = {
        do {
            let file = try SafeTensorsFile(path: Fixture.modelDirectory.appendingPathComponent(WeightStore.singleFileName).path)
            var result: [WeightDType: [RoundedTensor]] = [:]
            for dtype in [WeightDType.bf16, .f16] {
                result[dtype] = try file.keys.sorted().map { name in
                    let values = try file.floatTensor(name).array
                    let halves = values.map { dtype == .bf16 ? bf16Bits($0) : Float16($0).bitPattern }
                    let widened = halves.map { dtype == .bf16 ? Float(bitPattern: UInt32($0) << 16) : Float(Float16(bitPattern: $0)) }
                    return RoundedTensor(name: name, shape: file.entry(name)!.shape, halves: halves, widened: widened)
                }
            }
            return result
        } catch {
            fatalError("cannot read the tiny model: \(error)")
        }
    }()

    /// Round to nearest even, written out here independently of the engine (inputs are finite).
    private static func bf16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    func testBF16WeightsGiveBitwiseTheOutputsOfTheirF32Widening() throws {
        try assertStoredTypeIsInvisible(.bf16, settings: .dense)
    }

    func testF16WeightsGiveBitwiseTheOutputsOfTheirF32Widening() throws {
        try assertStoredTypeIsInvisible(.f16, settings: .dense)
    }

    /// Every load-time rewrite at once: dropped layers, pruned MLP channels, LayerScale (DINOv2
    /// blocks), plus token selection and the DiT cache, which only change what runs.
    func testBF16EqualsF32WithEveryEfficientVLARewrite() throws {
        let config = try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json"))
        let keep = (0 ..< config.llm.layers).map { MLPChannelPlan(layer: $0, keep: Array(stride(from: 1, to: config.llm.intermediate, by: 3))) }
        let settings = AccelerationSettings(droppedLayers: [2], visualTokens: 40, selectionLayer: 1, cacheInterval: 3,
                                            mlpKeepRatio: 1.0 / 3, mlpChannels: keep)
        try assertStoredTypeIsInvisible(.bf16, settings: settings)
    }

    func testCheckpointMatricesAreUsedInPlace() throws {
        let directories = try writeModels(.bf16)
        let name = "llm_backbone.llm.model.layers.0.mlp.down_proj.weight"
        let config = try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json"))
        let shape = [config.llm.hidden, config.llm.intermediate]
        let bf16 = try WeightStore(directory: directories.sixteenBit).matrix(name, shape: shape)
        XCTAssertEqual(bf16.dtype, .bf16)
        XCTAssertTrue(bf16.bytes.isMapped)
        XCTAssertEqual(bf16.byteCount, 2 * shape[0] * shape[1])
        XCTAssertNotNil(try WeightStore(directory: directories.alignedF32).matrix(name, shape: shape).f32Elements,
                        "aligned F32 is multiplied in place")
        XCTAssertNil(try WeightStore(directory: directories.unalignedF32).matrix(name, shape: shape).f32Elements,
                     "unaligned F32 goes through the panels")
        XCTAssertThrowsError(try WeightStore(directory: directories.sixteenBit).matrix(name, shape: [shape[1], shape[0]])) { error in
            XCTAssertTrue("\(error)".contains(name), "\(error)")
        }
    }

    /// A matrix used in place keeps its file mapped after the store and file objects are gone.
    func testMappedMatricesOutliveTheirStore() throws {
        let directories = try writeModels(.bf16)
        let name = "llm_backbone.llm.model.embed_tokens.weight"
        let config = try ModelConfig.load(from: Fixture.modelDirectory.appendingPathComponent("config.json"))
        var store: WeightStore? = try WeightStore(directory: directories.sixteenBit)
        let matrix = try XCTUnwrap(store).matrix(name, shape: [config.llm.vocab, config.llm.hidden])
        store = nil
        var row = [Float](repeating: .nan, count: config.llm.hidden)
        row.withUnsafeMutableBufferPointer { matrix.widen(row: 5, column: 0, count: config.llm.hidden, into: $0.baseAddress!) }
        let tensor = try XCTUnwrap(Self.rounded[.bf16]?.first { $0.name == name })
        XCTAssertEqual(row, Array(tensor.widened[5 * config.llm.hidden ..< 6 * config.llm.hidden]))
    }

    /// The three F32-valued layouts and the 16-bit checkpoint give identical cognition and actions.
    private func assertStoredTypeIsInvisible(_ dtype: WeightDType, settings: AccelerationSettings,
                                             file: StaticString = #filePath, line: UInt = #line) throws {
        let directories = try writeModels(dtype)
        let inputs = (dino: try Fixture.floats("pixel_values_dino"), siglip: try Fixture.floats("pixel_values_siglip"),
                      ids: try Fixture.inputIDs(), noise: try Fixture.floats("noise"), key: try Fixture.unnormKey())
        var outputs: [(name: String, cognition: [Float], actions: [Float])] = []
        for (name, directory) in [("\(dtype)", directories.sixteenBit), ("aligned F32", directories.alignedF32),
                                  ("unaligned F32", directories.unalignedF32)] {
            let model = try CogACTModel(directory: directory, options: EngineOptions(blasThreads: 2, acceleration: settings))
            var cognition: [Float] = [], actions: [Float] = []
            for _ in 0 ..< 2 { // the second forward exercises the DiT cache and reused panels
                let prediction = try model.forward(pixelValuesDino: inputs.dino, pixelValuesSiglip: inputs.siglip,
                                                   inputIDs: inputs.ids, noise: inputs.noise, unnormKey: inputs.key)
                cognition += prediction.cognition
                actions += prediction.actions
            }
            outputs.append((name, cognition, actions))
        }
        XCTAssertTrue(outputs[0].actions.allSatisfy(\.isFinite), file: file, line: line)
        for other in outputs.dropFirst() {
            XCTAssertEqual(other.cognition.map(\.bitPattern), outputs[0].cognition.map(\.bitPattern),
                           "cognition: \(other.name) vs \(outputs[0].name)", file: file, line: line)
            XCTAssertEqual(other.actions.map(\.bitPattern), outputs[0].actions.map(\.bitPattern),
                           "actions: \(other.name) vs \(outputs[0].name)", file: file, line: line)
        }
        // Rounding the weights to 16 bits moves the outputs, but not far: the model is the same.
        let reference = try Fixture.floats("actions")
        XCTAssertLessThan(relativeL2(Array(outputs[0].actions.prefix(reference.count)), reference), settings == .dense ? 0.05 : 1,
                          file: file, line: line)
    }

    /// The fixture rounded to `dtype` (two shards and an index), and its widened values in F32
    /// (one file with 4-byte-aligned tensors, one with every tensor 2 bytes off alignment).
    /// Written once per type for the whole class.
    private func writeModels(_ dtype: WeightDType) throws -> (sixteenBit: URL, alignedF32: URL, unalignedF32: URL) {
        if let written = Self.written[dtype] { return written }
        let tensors = try XCTUnwrap(Self.rounded[dtype])
        let root = try Self.root()
        let directories = try ["\(dtype)", "\(dtype)-aligned-f32", "\(dtype)-unaligned-f32"].map { name -> URL in
            let directory = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in ["config.json", "dataset_statistics.json", "tokenizer.model"] {
                try FileManager.default.copyItem(at: Fixture.modelDirectory.appendingPathComponent(file),
                                                 to: directory.appendingPathComponent(file))
            }
            return directory
        }

        let half = tensors.count / 2
        var weightMap: [String: String] = [:]
        for (shard, range) in [(1, 0 ..< half), (2, half ..< tensors.count)] {
            var builder = SafeTensorsBuilder()
            let fileName = "model-0000\(shard)-of-00002.safetensors"
            for tensor in tensors[range] {
                builder.addRaw(tensor.name, dtype: dtype == .bf16 ? "BF16" : "F16", shape: tensor.shape,
                               bytes: tensor.halves.withUnsafeBytes { Array($0) })  // little-endian hosts
                weightMap[tensor.name] = fileName
            }
            _ = try SafeTensorsBuilder.write(builder.bytes(), name: fileName, in: directories[0])
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": weightMap])
        try index.write(to: directories[0].appendingPathComponent(WeightStore.indexFileName))

        for (directory, misaligned) in [(directories[1], false), (directories[2], true)] {
            var builder = SafeTensorsBuilder()
            if misaligned { builder.addRaw("padding", dtype: "U8", shape: [2], bytes: [0, 0]) }
            for tensor in tensors {
                builder.addRaw(tensor.name, dtype: "F32", shape: tensor.shape, bytes: tensor.widened.withUnsafeBytes { Array($0) })
            }
            _ = try SafeTensorsBuilder.write(builder.bytes(alignHeader: true), in: directory)
        }
        let written = (directories[0], directories[1], directories[2])
        Self.written[dtype] = written
        return written
    }

    /// Model directories already written, by weight type (tests of one class run on one thread).
    private static var written: [WeightDType: (sixteenBit: URL, alignedF32: URL, unalignedF32: URL)] = [:]
    private static var temporaryRoot: URL?

    private static func root() throws -> URL {
        if let temporaryRoot { return temporaryRoot }
        let root = try SafeTensorsBuilder.temporaryDirectory()
        temporaryRoot = root
        return root
    }

    override class func tearDown() {
        if let temporaryRoot { try? FileManager.default.removeItem(at: temporaryRoot) }
        temporaryRoot = nil
        written = [:]
        super.tearDown()
    }
}
