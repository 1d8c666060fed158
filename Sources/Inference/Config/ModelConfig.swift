import Foundation

/// `config.json` of a CogACT model directory (format 1, see docs/checkpoint-format.md).
/// Unknown keys are ignored; every non-optional key here is required.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Always "cogact".
    public var architecture: String
    /// The two vision towers and the image geometry.
    public var vision: VisionConfig
    /// The LLaMA backbone.
    public var llm: LlamaConfig
    /// The DiT action head and its sampler.
    public var action: ActionConfig
    /// Prompt template with an `{instruction}` placeholder.
    public var prompt: String
    /// Token ids appended after the prompt (CogACT: `[29871, 2]`; the last one is the cognition token).
    public var cognitionSuffixIDs: [Int]

    enum CodingKeys: String, CodingKey {
        case architecture, vision, llm, action, prompt
        case cognitionSuffixIDs = "cognition_suffix_ids"
    }

    /// Upper bound on every width, vocabulary, token and patch count of a configuration: far
    /// above any CogACT variant, and low enough that no size derived from the configuration
    /// overflows `Int` or the 32-bit dimensions of BLAS.
    public static let maximumDimension = 1 << 20
    /// Upper bound on layer and block counts.
    public static let maximumDepth = 1 << 10

    /// Reads and validates `config.json`.
    public static func load(from url: URL) throws -> ModelConfig {
        let config = try JSONFileDecoding.decode(ModelConfig.self, from: url)
        try config.validate(file: url.path)
        return config
    }

    /// Checks ranges and cross-field consistency; the error names the offending key.
    public func validate(file: String = "config.json") throws {
        func require(_ condition: Bool, _ key: String, _ detail: String) throws {
            if !condition { throw ConfigError.invalidValue(file: file, key: key, detail: detail) }
        }
        try require(architecture == "cogact", "architecture", "expected \"cogact\", found \"\(architecture)\"")
        try require(vision.imageSize > 0 && vision.patchSize > 0 && vision.imageSize % vision.patchSize == 0,
                    "vision.image_size", "must be a positive multiple of patch_size")
        try require(vision.imageSize <= Self.maximumDimension && vision.patchCount <= Self.maximumDimension, "vision.image_size",
                    "\(vision.imageSize) px in patches of \(vision.patchSize) gives more than \(Self.maximumDimension) patches")
        try vision.dino.validate(prefix: "vision.dino", file: file)
        try vision.siglip.validate(prefix: "vision.siglip", file: file)
        try llm.validate(file: file)
        try action.validate(file: file)
        try require(!cognitionSuffixIDs.isEmpty, "cognition_suffix_ids", "must not be empty")
        // Ids outside the embedding table surface as `InferenceError.tokenOutOfRange` when used.
        try require(cognitionSuffixIDs.allSatisfy { (0 ... Int(Int32.max)).contains($0) }, "cognition_suffix_ids",
                    "\(cognitionSuffixIDs) must be non-negative 32-bit token ids")
    }
}

/// Image geometry and the two ViT towers.
public struct VisionConfig: Codable, Equatable, Sendable {
    /// Square input size in pixels (224).
    public var imageSize: Int
    /// Patch side in pixels (14).
    public var patchSize: Int
    /// DINOv2 tower (registers, LayerScale).
    public var dino: ViTConfig
    /// SigLIP tower.
    public var siglip: ViTConfig

    enum CodingKeys: String, CodingKey {
        case imageSize = "image_size", patchSize = "patch_size", dino, siglip
    }

    /// Patches per side.
    public var gridSize: Int { imageSize / patchSize }
    /// Patches per image (256 at 224 px / 14).
    public var patchCount: Int { gridSize * gridSize }
}

/// One ViT tower (timm naming). DINOv2 has register tokens and LayerScale; SigLIP has neither.
public struct ViTConfig: Codable, Equatable, Sendable {
    /// Embedding width.
    public var width: Int
    /// Number of blocks.
    public var depth: Int
    /// Attention heads.
    public var heads: Int
    /// MLP hidden width.
    public var mlpDim: Int
    /// DINOv2 register tokens; nil (absent) for SigLIP. Presence also implies a CLS token and LayerScale.
    public var registerTokens: Int?
    /// 0-based index of the block whose output is the feature.
    public var featureLayer: Int
    /// Per-channel normalisation mean (applied by the image preprocessor).
    public var mean: [Float]
    /// Per-channel normalisation standard deviation.
    public var std: [Float]
    /// LayerNorm epsilon.
    public var layerNormEps: Float

    enum CodingKeys: String, CodingKey {
        case width, depth, heads, mean, std
        case mlpDim = "mlp_dim", registerTokens = "register_tokens", featureLayer = "feature_layer"
        case layerNormEps = "layer_norm_eps"
    }

    /// Whether this is a DINOv2-style tower (CLS + registers + LayerScale).
    public var isDINO: Bool { registerTokens != nil }
    /// CLS + registers for DINOv2, 0 for SigLIP.
    public var prefixTokens: Int { registerTokens.map { $0 + 1 } ?? 0 }
    /// Width of one attention head.
    public var headDim: Int { width / heads }

    func validate(prefix: String, file: String) throws {
        func require(_ condition: Bool, _ key: String, _ detail: String) throws {
            if !condition { throw ConfigError.invalidValue(file: file, key: "\(prefix).\(key)", detail: detail) }
        }
        try require(width > 0 && heads > 0 && width % heads == 0, "heads", "width \(width) must be a positive multiple of heads \(heads)")
        try require(depth > 0 && mlpDim > 0, "depth", "depth and mlp_dim must be positive")
        try require(width <= ModelConfig.maximumDimension && mlpDim <= ModelConfig.maximumDimension, "width",
                    "width and mlp_dim must be at most \(ModelConfig.maximumDimension)")
        try require(depth <= ModelConfig.maximumDepth, "depth", "must be at most \(ModelConfig.maximumDepth)")
        try require(featureLayer >= 0 && featureLayer < depth, "feature_layer", "\(featureLayer) is outside 0..<\(depth)")
        try require((0 ... ModelConfig.maximumDimension).contains(registerTokens ?? 0), "register_tokens",
                    "must be in 0...\(ModelConfig.maximumDimension)")
        try require(mean.count == 3 && std.count == 3 && std.allSatisfy { $0 > 0 }, "std", "mean and std need 3 entries, std > 0")
        try require(layerNormEps > 0, "layer_norm_eps", "must be positive")
    }
}

/// LLaMA-2 backbone.
public struct LlamaConfig: Codable, Equatable, Sendable {
    /// Hidden width.
    public var hidden: Int
    /// Decoder layers.
    public var layers: Int
    /// Attention heads.
    public var heads: Int
    /// Key/value heads (< heads for grouped-query attention).
    public var kvHeads: Int
    /// SwiGLU hidden width.
    public var intermediate: Int
    /// Embedding rows (32064 for CogACT).
    public var vocab: Int
    /// RMSNorm epsilon.
    public var rmsNormEps: Float
    /// RoPE base θ.
    public var ropeTheta: Float

    enum CodingKeys: String, CodingKey {
        case hidden, layers, heads, intermediate, vocab
        case kvHeads = "kv_heads", rmsNormEps = "rms_norm_eps", ropeTheta = "rope_theta"
    }

    /// Width of one attention head.
    public var headDim: Int { hidden / heads }

    func validate(file: String) throws {
        func require(_ condition: Bool, _ key: String, _ detail: String) throws {
            if !condition { throw ConfigError.invalidValue(file: file, key: "llm.\(key)", detail: detail) }
        }
        try require(hidden > 0 && heads > 0 && hidden % heads == 0 && headDim % 2 == 0, "heads",
                    "hidden \(hidden) must split into \(heads) heads of even size")
        try require(kvHeads > 0 && heads % kvHeads == 0, "kv_heads", "heads \(heads) must be a multiple of kv_heads \(kvHeads)")
        try require(layers > 0 && intermediate > 0 && vocab > 0, "layers", "layers, intermediate and vocab must be positive")
        try require(layers <= ModelConfig.maximumDepth, "layers", "must be at most \(ModelConfig.maximumDepth)")
        try require([hidden, intermediate, vocab].allSatisfy { $0 <= ModelConfig.maximumDimension }, "hidden",
                    "hidden, intermediate and vocab must be at most \(ModelConfig.maximumDimension)")
        try require(rmsNormEps > 0 && ropeTheta > 0, "rms_norm_eps", "rms_norm_eps and rope_theta must be positive")
    }
}

/// DiT action head and its diffusion sampler.
public struct ActionConfig: Codable, Equatable, Sendable {
    /// Hidden width.
    public var hidden: Int
    /// Number of blocks.
    public var depth: Int
    /// Attention heads.
    public var heads: Int
    /// Values per action (7: xyz, rpy, gripper).
    public var actionDim: Int
    /// Actions per chunk (16).
    public var horizon: Int
    /// Training diffusion steps (100).
    public var diffusionSteps: Int
    /// Beta schedule; only "squaredcos_cap_v2".
    public var noiseSchedule: String
    /// DDIM sampling steps.
    public var ddimSteps: Int
    /// Classifier-free guidance scale (1 disables guidance).
    public var cfgScale: Float

    enum CodingKeys: String, CodingKey {
        case hidden, depth, heads, horizon
        case actionDim = "action_dim", diffusionSteps = "diffusion_steps", noiseSchedule = "noise_schedule"
        case ddimSteps = "ddim_steps", cfgScale = "cfg_scale"
    }

    func validate(file: String) throws {
        func require(_ condition: Bool, _ key: String, _ detail: String) throws {
            if !condition { throw ConfigError.invalidValue(file: file, key: "action.\(key)", detail: detail) }
        }
        try require(hidden > 0 && heads > 0 && hidden % heads == 0, "heads", "hidden \(hidden) must be a multiple of heads \(heads)")
        try require(depth > 0 && actionDim > 0 && horizon > 0, "depth", "depth, action_dim and horizon must be positive")
        try require(depth <= ModelConfig.maximumDepth, "depth", "must be at most \(ModelConfig.maximumDepth)")
        try require([hidden, actionDim, horizon, diffusionSteps].allSatisfy { $0 <= ModelConfig.maximumDimension }, "hidden",
                    "hidden, action_dim, horizon and diffusion_steps must be at most \(ModelConfig.maximumDimension)")
        try require(diffusionSteps > 1, "diffusion_steps", "must be at least 2")
        try require(noiseSchedule == "squaredcos_cap_v2", "noise_schedule", "only \"squaredcos_cap_v2\" is supported")
        try require(ddimSteps >= 1 && ddimSteps <= diffusionSteps, "ddim_steps", "must be in 1...\(diffusionSteps)")
        try require(cfgScale >= 1, "cfg_scale", "must be ≥ 1 (1 disables guidance)")
    }
}
