/// Architectures for benchmarks with random weights.
public enum ModelPreset: String, CaseIterable, Sendable {
    /// The sizes of the `cogact-tiny` test fixture.
    case tiny
    /// A CogACT-shaped model that fits 2 cores / 24 GB: 256 patches, ~276-token sequence, and
    /// the FLOP split of CogACT-Base (≈ 9–10 % vision, 1 % projector, 88 % LLaMA, 1.5 % DiT).
    case small
    /// CogACT-Base: DINOv2 ViT-L/14-reg4 + SigLIP So400m/14 + LLaMA-2-7B + DiT-B (≈ 30 GB in fp32).
    case base

    /// The configuration of the preset.
    public var config: ModelConfig {
        switch self {
        case .tiny:
            return Self.make(dino: (64, 4, 4, 256, 2), siglip: (72, 4, 4, 269, 2),
                             llm: LlamaConfig(hidden: 128, layers: 6, heads: 4, kvHeads: 4, intermediate: 344,
                                              vocab: 32064, rmsNormEps: 1e-5, ropeTheta: 10000),
                             action: (64, 3, 4))
        case .small:
            return Self.make(dino: (512, 22, 8, 2048, 20), siglip: (576, 24, 9, 2152, 22),
                             llm: LlamaConfig(hidden: 2048, layers: 28, heads: 16, kvHeads: 16, intermediate: 5504,
                                              vocab: 32064, rmsNormEps: 1e-5, ropeTheta: 10000),
                             action: (512, 6, 8))
        case .base:
            return Self.make(dino: (1024, 24, 16, 4096, 22), siglip: (1152, 27, 16, 4304, 25),
                             llm: LlamaConfig(hidden: 4096, layers: 32, heads: 32, kvHeads: 32, intermediate: 11008,
                                              vocab: 32064, rmsNormEps: 1e-5, ropeTheta: 10000),
                             action: (768, 12, 12))
        }
    }

    /// (width, depth, heads, mlp, feature layer) of a ViT tower.
    private typealias Tower = (Int, Int, Int, Int, Int)

    private static func make(dino: Tower, siglip: Tower, llm: LlamaConfig, action: (Int, Int, Int)) -> ModelConfig {
        func tower(_ t: Tower, registers: Int?, mean: [Float], std: [Float]) -> ViTConfig {
            ViTConfig(width: t.0, depth: t.1, heads: t.2, mlpDim: t.3, registerTokens: registers, featureLayer: t.4,
                      mean: mean, std: std, layerNormEps: 1e-6)
        }
        return ModelConfig(
            architecture: "cogact",
            vision: VisionConfig(imageSize: 224, patchSize: 14,
                                 dino: tower(dino, registers: 4, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225]),
                                 siglip: tower(siglip, registers: nil, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])),
            llm: llm,
            action: ActionConfig(hidden: action.0, depth: action.1, heads: action.2, actionDim: 7, horizon: 16,
                                 diffusionSteps: 100, noiseSchedule: "squaredcos_cap_v2", ddimSteps: 10, cfgScale: 1.5),
            prompt: "In: What action should the robot take to {instruction}?\nOut:",
            cognitionSuffixIDs: [29871, 2])
    }
}
