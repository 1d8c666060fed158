import Foundation
import XCTest
@testable import Inference

final class TokenizerTests: XCTestCase {
    private static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The LLaMA-2 SentencePiece model (the cogact-tiny fixture carries it unchanged; Tests/Fixtures/README.md).
    private static let llamaModelURL = Fixture.modelDirectory.appendingPathComponent("tokenizer.model")
    /// Loaded once: parsing 32000 pieces in a debug build is the slow part of these tests.
    private static let llama = Result { try SentencePieceTokenizer(contentsOf: llamaModelURL) }

    private struct VectorFile: Decodable {
        struct Vector: Decodable {
            let text: String
            let ids: [Int32]
        }
        let vectors: [Vector]
    }

    private func vectors(_ name: String) throws -> [VectorFile.Vector] {
        let data = try Data(contentsOf: Self.testsDirectory.appendingPathComponent("Fixtures/\(name)"))
        return try JSONDecoder().decode(VectorFile.self, from: data).vectors
    }

    /// CogACT's prompt vectors (token ids from sentencepiece on the LLaMA-2 model): BOS + encode(prompt) + [29871, 2].
    func testCogACTPromptVectors() throws {
        let tokenizer = try Self.llama.get()
        let cases: [(String, [Int32])] = [
            ("move sponge near apple", [1, 512, 29901, 1724, 3158, 881, 278, 19964, 2125, 304, 4337, 805, 265, 479,
                                        2978, 26163, 29973, 13, 3744, 29901, 29871, 2]),
            ("pick coke can", [1, 512, 29901, 1724, 3158, 881, 278, 19964, 2125, 304, 5839, 1302, 446, 508, 29973,
                               13, 3744, 29901, 29871, 2]),
        ]
        for (instruction, expected) in cases {
            let prompt = "In: What action should the robot take to \(instruction)?\nOut:"
            XCTAssertEqual([tokenizer.bosID] + tokenizer.encode(prompt) + [29871, tokenizer.eosID], expected, instruction)
        }
    }

    /// ≥ 200 strings encoded by the `sentencepiece` package (tools/fixtures/make_tokenizer_vectors.py).
    func testMatchesSentencePieceOnLlamaVectors() throws {
        let tokenizer = try Self.llama.get()
        let vectors = try vectors("tokenizer_vectors.json")
        XCTAssertGreaterThanOrEqual(vectors.count, 200)
        let mismatches = vectors.filter { tokenizer.encode($0.text) != $0.ids }
        XCTAssertEqual(mismatches.count, 0, "first mismatches: \(mismatches.prefix(3).map { ($0.text, $0.ids, tokenizer.encode($0.text)) })")
    }

    /// User-defined pieces, tied merge scores and byte fallback on a synthetic model, against sentencepiece.
    func testMatchesSentencePieceOnSyntheticModel() throws {
        let url = Self.testsDirectory.appendingPathComponent("Fixtures/tokenizer_synthetic.model")
        let tokenizer = try SentencePieceTokenizer(contentsOf: url)
        for vector in try vectors("tokenizer_synthetic_vectors.json") {
            XCTAssertEqual(tokenizer.encode(vector.text), vector.ids, vector.text.debugDescription)
        }
    }

    func testLlamaVocabularyMetadata() throws {
        let tokenizer = try Self.llama.get()
        XCTAssertEqual(tokenizer.vocabularySize, 32000)
        XCTAssertEqual(tokenizer.unknownID, 0)
        XCTAssertEqual(tokenizer.bosID, 1)
        XCTAssertEqual(tokenizer.eosID, 2)
        XCTAssertEqual(tokenizer.piece(for: 1), "<s>")
        XCTAssertEqual(tokenizer.piece(for: 13), "<0x0A>")
        XCTAssertEqual(tokenizer.piece(for: 29871), "▁")
        XCTAssertEqual(tokenizer.piece(for: 19964), "▁robot")
        XCTAssertNil(tokenizer.piece(for: 32000))
        XCTAssertNil(tokenizer.piece(for: -1))
    }

    func testTruncatedModelThrows() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.testsDirectory.appendingPathComponent("Fixtures/tokenizer_synthetic.model")))
        for length in [0, 1, 2, 7, 100, bytes.count / 2, bytes.count - 40, bytes.count - 1] {
            XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: Array(bytes.prefix(length))), "cut at \(length)") {
                XCTAssertTrue($0 is TokenizerError, "cut at \(length): \($0)")
            }
        }
    }

    func testGarbageAndUnsupportedModelsThrowClearErrors() {
        XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: Array("not a protobuf at all".utf8))) {
            XCTAssertTrue($0 is TokenizerError)
        }
        XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])) {
            guard case .malformedModel? = $0 as? TokenizerError else { return XCTFail("\($0)") }
        }
        // pieces { piece: "<unk>" type: UNKNOWN } trainer_spec { model_type: UNIGRAM }
        let unigram: [UInt8] = [0x0A, 0x09, 0x0A, 0x05] + Array("<unk>".utf8) + [0x18, 0x02, 0x12, 0x02, 0x18, 0x01]
        XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: unigram)) {
            XCTAssertEqual($0 as? TokenizerError, .unsupportedModel("model_type 1 is not BPE (2)"))
        }
        // unk, <s>, </s>, an empty USER_DEFINED piece; trainer_spec { model_type: BPE };
        // normalizer_spec { remove_extra_whitespaces: false }: supported except for the empty piece.
        func piece(_ text: String, type: UInt8) -> [UInt8] {
            let body = [0x0A, UInt8(text.utf8.count)] + Array(text.utf8) + [0x18, type]
            return [0x0A, UInt8(body.count)] + body
        }
        func model(userDefined: String) -> [UInt8] {
            piece("<unk>", type: 2) + piece("<s>", type: 3) + piece("</s>", type: 3) + piece(userDefined, type: 4)
                + [0x12, 0x02, 0x18, 0x02, 0x1A, 0x02, 0x20, 0x00]
        }
        XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: model(userDefined: ""))) {
            XCTAssertEqual($0 as? TokenizerError, .malformedModel("piece 3 is empty"))
        }
        XCTAssertNoThrow(try SentencePieceTokenizer(modelBytes: model(userDefined: "a")), "the same model with a non-empty piece loads")
        XCTAssertThrowsError(try SentencePieceTokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.model"))) {
            guard case .fileUnreadable? = $0 as? TokenizerError else { return XCTFail("\($0)") }
        }
    }
}
