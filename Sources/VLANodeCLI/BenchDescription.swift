import Inference

/// What `vla-node bench --flops-only --json` prints: everything a peer implementation needs to run
/// the same work (tools/bench/torch_peer.py): the preset's (or `--model` directory's) config in the
/// config.json schema, the bench's input ids, and the engine's analytic GFLOP per stage.
struct BenchDescription: Encodable {
    struct StageGFLOP: Encodable {
        let vision, projector, llm, action, total: Double
    }

    let preset: String
    let sequenceTokens: Int
    let inputIDs: [Int32]
    let config: ModelConfig
    let gflop: StageGFLOP

    enum CodingKeys: String, CodingKey {
        case preset, config, gflop
        case sequenceTokens = "sequence_tokens"
        case inputIDs = "input_ids"
    }

    init(target: BenchTarget, flops: FLOPCount) {
        preset = target.name
        config = target.config
        inputIDs = target.inputIDs
        sequenceTokens = config.vision.patchCount + inputIDs.count
        gflop = StageGFLOP(vision: flops.vision / 1e9, projector: flops.projector / 1e9, llm: flops.llm / 1e9,
                           action: flops.action / 1e9, total: flops.total / 1e9)
    }
}
