/// The fields of sentencepiece's `ModelProto` that BPE encoding needs, parsed from the protobuf
/// wire format (`sentencepiece_model.proto`). Unknown fields are skipped.
struct SentencePieceModelProto {
    /// `ModelProto.SentencePiece.Type`.
    enum PieceType: UInt64 {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// `ModelProto.SentencePiece`: the piece text (UTF-8 bytes), its merge score and type.
    struct Piece {
        var bytes: [UInt8] = []
        var score: Float = 0
        var type: PieceType = .normal
    }

    /// `TrainerSpec.ModelType.BPE`.
    static let bpeModelType: UInt64 = 2

    var pieces: [Piece] = []
    var hasTrainerSpec = false
    /// `TrainerSpec.model_type` (default UNIGRAM = 1).
    var modelType: UInt64 = 1
    var byteFallback = false
    var treatWhitespaceAsSuffix = false
    var unknownPiece = "<unk>"
    var bosPiece = "<s>"
    var eosPiece = "</s>"
    var normalizerName = ""
    var precompiledCharsmapByteCount = 0
    var addDummyPrefix = true
    var removeExtraWhitespaces = true
    var escapeWhitespaces = true

    init(bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes[...])
        while let (number, value) = try reader.nextField() {
            switch number {
            case 1: pieces.append(try Self.parsePiece(value.bytes(field: "ModelProto.pieces")))
            case 2: try parseTrainerSpec(value.bytes(field: "ModelProto.trainer_spec"))
            case 3: try parseNormalizerSpec(value.bytes(field: "ModelProto.normalizer_spec"))
            default: continue
            }
        }
    }

    private static func parsePiece(_ bytes: ArraySlice<UInt8>) throws -> Piece {
        var piece = Piece()
        var reader = ProtobufReader(bytes)
        while let (number, value) = try reader.nextField() {
            switch number {
            case 1: piece.bytes = Array(try value.bytes(field: "SentencePiece.piece"))
            case 2: piece.score = try value.float(field: "SentencePiece.score")
            case 3:
                let raw = try value.varint(field: "SentencePiece.type")
                guard let type = PieceType(rawValue: raw) else { throw TokenizerError.malformedModel("unknown piece type \(raw)") }
                piece.type = type
            default: continue
            }
        }
        return piece
    }

    private mutating func parseTrainerSpec(_ bytes: ArraySlice<UInt8>) throws {
        hasTrainerSpec = true
        var reader = ProtobufReader(bytes)
        while let (number, value) = try reader.nextField() {
            switch number {
            case 3: modelType = try value.varint(field: "TrainerSpec.model_type")
            case 24: treatWhitespaceAsSuffix = try value.varint(field: "TrainerSpec.treat_whitespace_as_suffix") != 0
            case 35: byteFallback = try value.varint(field: "TrainerSpec.byte_fallback") != 0
            case 45: unknownPiece = String(decoding: try value.bytes(field: "TrainerSpec.unk_piece"), as: UTF8.self)
            case 46: bosPiece = String(decoding: try value.bytes(field: "TrainerSpec.bos_piece"), as: UTF8.self)
            case 47: eosPiece = String(decoding: try value.bytes(field: "TrainerSpec.eos_piece"), as: UTF8.self)
            default: continue
            }
        }
    }

    private mutating func parseNormalizerSpec(_ bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes)
        while let (number, value) = try reader.nextField() {
            switch number {
            case 1: normalizerName = String(decoding: try value.bytes(field: "NormalizerSpec.name"), as: UTF8.self)
            case 2: precompiledCharsmapByteCount = try value.bytes(field: "NormalizerSpec.precompiled_charsmap").count
            case 3: addDummyPrefix = try value.varint(field: "NormalizerSpec.add_dummy_prefix") != 0
            case 4: removeExtraWhitespaces = try value.varint(field: "NormalizerSpec.remove_extra_whitespaces") != 0
            case 5: escapeWhitespaces = try value.varint(field: "NormalizerSpec.escape_whitespaces") != 0
            default: continue
            }
        }
    }
}
