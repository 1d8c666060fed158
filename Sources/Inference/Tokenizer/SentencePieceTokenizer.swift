import Foundation

/// A SentencePiece BPE tokenizer that reproduces `sentencepiece`'s `encode` for LLaMA-style models
/// (identity normalisation, "▁" dummy prefix, spaces escaped to "▁", score-ordered merges, byte
/// fallback to `<0xNN>` pieces).
public struct SentencePieceTokenizer: Sendable {
    /// Id of the beginning-of-sequence control piece (`<s>`, 1 for LLaMA-2).
    public let bosID: Int32
    /// Id of the end-of-sequence control piece (`</s>`, 2 for LLaMA-2).
    public let eosID: Int32
    /// Id of the unknown piece (`<unk>`, 0 for LLaMA-2).
    public let unknownID: Int32

    private let pieces: [String]
    /// NORMAL and USER_DEFINED pieces: the ones BPE may produce by merging.
    private let mergeablePieces: [[UInt8]: Int32]
    /// UNKNOWN, CONTROL and BYTE pieces, looked up first when mapping a symbol to its id.
    private let reservedPieces: [[UInt8]: Int32]
    private let scores: [Float]
    /// USER_DEFINED pieces, longest first; they are matched whole and never merged.
    private let userDefinedPieces: [[UInt8]]
    /// Ids of `<0x00>`…`<0xFF>` when the model uses byte fallback.
    private let byteFallbackIDs: [Int32]?
    private let addDummyPrefix: Bool
    private let escapeWhitespaces: Bool

    /// Number of pieces in the model (32000 for LLaMA-2).
    public var vocabularySize: Int { pieces.count }

    /// Loads a `tokenizer.model` file.
    /// - Throws: `TokenizerError` if the file is unreadable, malformed, or not a supported BPE model.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(modelBytes: [UInt8](data))
    }

    /// Loads a serialized `ModelProto`.
    /// - Throws: `TokenizerError` if the bytes are malformed or describe an unsupported model.
    public init(modelBytes: [UInt8]) throws {
        let proto = try SentencePieceModelProto(bytes: modelBytes)
        try Self.checkSupported(proto)

        var mergeable: [[UInt8]: Int32] = [:]
        var reserved: [[UInt8]: Int32] = [:]
        for (index, piece) in proto.pieces.enumerated() {
            // sentencepiece rejects empty pieces too; an empty user-defined piece would match forever.
            guard !piece.bytes.isEmpty else { throw TokenizerError.malformedModel("piece \(index) is empty") }
            let isMergeable = piece.type == .normal || piece.type == .userDefined
            let inserted = isMergeable ? mergeable.updateValue(Int32(index), forKey: piece.bytes) == nil
                                       : reserved.updateValue(Int32(index), forKey: piece.bytes) == nil
            guard inserted else {
                throw TokenizerError.malformedModel("duplicate piece '\(String(decoding: piece.bytes, as: UTF8.self))'")
            }
        }
        func specialID(_ text: String, _ type: SentencePieceModelProto.PieceType) throws -> Int32 {
            guard let id = reserved[Array(text.utf8)], proto.pieces[Int(id)].type == type else {
                throw TokenizerError.missingPiece("'\(text)' of type \(type)")
            }
            return id
        }
        unknownID = try specialID(proto.unknownPiece, .unknown)
        bosID = try specialID(proto.bosPiece, .control)
        eosID = try specialID(proto.eosPiece, .control)
        if proto.byteFallback {
            byteFallbackIDs = try (0...255).map { try specialID(Self.bytePieceName($0), .byte) }
        } else {
            byteFallbackIDs = nil
        }
        pieces = proto.pieces.map { String(decoding: $0.bytes, as: UTF8.self) }
        scores = proto.pieces.map(\.score)
        mergeablePieces = mergeable
        reservedPieces = reserved
        userDefinedPieces = proto.pieces.filter { $0.type == .userDefined }.map(\.bytes).sorted { $0.count > $1.count }
        addDummyPrefix = proto.addDummyPrefix
        escapeWhitespaces = proto.escapeWhitespaces
    }

    /// The text of piece `id` (for example "▁robot" or "<0x0A>"), or nil when out of range.
    public func piece(for id: Int32) -> String? {
        pieces.indices.contains(Int(id)) ? pieces[Int(id)] : nil
    }

    /// Token ids of `text`, without BOS or EOS, exactly as `SentencePieceProcessor.encode(text)`.
    public func encode(_ text: String) -> [Int32] {
        let normalized = normalize(text)
        guard !normalized.isEmpty else { return [] }
        let merger = BytePairMerger { [mergeablePieces, scores] bytes in
            mergeablePieces[Array(bytes)].map { scores[Int($0)] }
        }
        var ids: [Int32] = []
        for range in merger.merge(normalized, initial: initialSymbols(normalized)) {
            let bytes = Array(normalized[range])
            let id = reservedPieces[bytes] ?? mergeablePieces[bytes] ?? unknownID
            if id == unknownID, let byteIDs = byteFallbackIDs {
                ids += bytes.map { byteIDs[Int($0)] }
            } else {
                ids.append(id)
            }
        }
        return ids
    }

    /// Identity normalisation: a "▁" prefix, and every space escaped to "▁" (U+2581).
    private func normalize(_ text: String) -> [UInt8] {
        guard !text.isEmpty else { return [] }
        let marker: [UInt8] = [0xE2, 0x96, 0x81]
        var output = addDummyPrefix ? marker : []
        output.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            if escapeWhitespaces, byte == 0x20 { output += marker } else { output.append(byte) }
        }
        return output
    }

    /// Splits normalised bytes into UTF-8 characters, keeping user-defined pieces whole and frozen.
    private func initialSymbols(_ bytes: [UInt8]) -> [(range: Range<Int>, frozen: Bool)] {
        var symbols: [(range: Range<Int>, frozen: Bool)] = []
        var offset = 0
        while offset < bytes.count {
            let rest = bytes[offset...]
            if let match = userDefinedPieces.first(where: { rest.starts(with: $0) }) {
                symbols.append((offset..<(offset + match.count), true))
                offset += match.count
                continue
            }
            let length = min(Self.utf8SequenceLength(leadByte: bytes[offset]), bytes.count - offset)
            symbols.append((offset..<(offset + length), false))
            offset += length
        }
        return symbols
    }

    /// Length of a UTF-8 sequence from its lead byte (1 for stray continuation bytes, as sentencepiece does).
    private static func utf8SequenceLength(leadByte: UInt8) -> Int {
        switch leadByte >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    private static func bytePieceName(_ byte: Int) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    private static func checkSupported(_ proto: SentencePieceModelProto) throws {
        guard !proto.pieces.isEmpty else { throw TokenizerError.malformedModel("the model has no pieces") }
        guard proto.hasTrainerSpec else { throw TokenizerError.malformedModel("trainer_spec is missing") }
        guard proto.modelType == SentencePieceModelProto.bpeModelType else {
            throw TokenizerError.unsupportedModel("model_type \(proto.modelType) is not BPE (2)")
        }
        guard proto.precompiledCharsmapByteCount == 0 else {
            throw TokenizerError.unsupportedModel("normalizer '\(proto.normalizerName)' needs a precompiled charsmap")
        }
        guard !proto.removeExtraWhitespaces else {
            throw TokenizerError.unsupportedModel("remove_extra_whitespaces is enabled")
        }
        guard !proto.treatWhitespaceAsSuffix else {
            throw TokenizerError.unsupportedModel("treat_whitespace_as_suffix is enabled")
        }
        guard !proto.pieces.contains(where: { $0.type == .unused }) else {
            throw TokenizerError.unsupportedModel("UNUSED pieces require re-segmentation")
        }
    }
}
