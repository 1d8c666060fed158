/// Element type in which weight matrices are stored and kept resident.
///
/// The engine computes in F32; 16-bit matrices are widened block by block, exactly, just before
/// each GEMM (see `PanelGEMM`), so a model stored in BF16 needs half the memory of F32.
public enum WeightDType: String, CaseIterable, Codable, Sendable {
    case f32, bf16, f16

    /// Bytes per stored element.
    public var size: Int { self == .f32 ? 4 : 2 }

    /// The weight type of a safetensors element type, nil for types that cannot hold weights.
    init?(_ dtype: SafeTensorsDType) {
        switch dtype {
        case .f32: self = .f32
        case .bf16: self = .bf16
        case .f16: self = .f16
        default: return nil
        }
    }

    /// `value` rounded to this type and widened back to F32 (round to nearest, ties to even).
    func rounded(_ value: Float) -> Float {
        switch self {
        case .f32: return value
        case .f16: return Float(Float16(value))
        case .bf16: return Float(bitPattern: UInt32(Self.bf16Bits(value)) << 16)
        }
    }

    /// The BF16 bit pattern nearest to `value` (ties to even; NaN stays NaN).
    static func bf16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        let roundingBias = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ roundingBias) >> 16)
    }
}
