"""Writes the demo model: a small CogACT-architecture checkpoint (format 1 of
docs/checkpoint-format.md) with deterministic random weights, so that the node can be run
end to end on any machine. The weights carry no skill; the model exists to exercise every code path
(F16 language model, BF16 vision towers, F32 action head, the real tensor names and shapes).

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python tools/demo/make_demo_model.py demo/model

Needs demo/model/tokenizer.model (tools/demo/train_tokenizer.py) for the vocabulary size.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

VOCAB = 512            # the demo tokenizer's piece count (a multiple of 64, as CogACT pads it)
SPACE_PIECE_ID = 475   # id of the "▁" piece in the demo tokenizer (LLaMA-2's 29871)
EOS_ID = 2

CONFIG = {
    "architecture": "cogact",
    "vision": {
        "image_size": 224, "patch_size": 14,
        "dino": {"width": 96, "depth": 4, "heads": 4, "mlp_dim": 384, "register_tokens": 4, "feature_layer": 2,
                 "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "layer_norm_eps": 1e-6},
        "siglip": {"width": 96, "depth": 4, "heads": 4, "mlp_dim": 358, "feature_layer": 2,
                   "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "layer_norm_eps": 1e-6},
    },
    "llm": {"hidden": 192, "layers": 6, "heads": 6, "kv_heads": 6, "intermediate": 512, "vocab": VOCAB,
            "rms_norm_eps": 1e-5, "rope_theta": 10000.0},
    "action": {"hidden": 96, "depth": 3, "heads": 4, "action_dim": 7, "horizon": 16, "diffusion_steps": 100,
               "noise_schedule": "squaredcos_cap_v2", "ddim_steps": 10, "cfg_scale": 1.5},
    "prompt": "In: What action should the robot take to {instruction}?\nOut:",
    "cognition_suffix_ids": [SPACE_PIECE_ID, EOS_ID],
}

STATISTICS = {
    "demo_robot": {"action": {
        "q01": [-0.03, -0.03, -0.03, -0.1, -0.1, -0.1, 0.0],
        "q99": [0.03, 0.03, 0.03, 0.1, 0.1, 0.1, 1.0],
        "mask": [True, True, True, True, True, True, False]}},
}


class Weights:
    """Collects named tensors, drawn from one seeded generator in a fixed order."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.tensors = {}

    def normal(self, name, shape, std, dtype):
        self.tensors[name] = ((self.rng.standard_normal(shape) * std).astype(np.float32), dtype)

    def const(self, name, shape, value, dtype):
        self.tensors[name] = (np.full(shape, value, dtype=np.float32), dtype)

    def linear(self, prefix, out_dim, in_dim, dtype, bias=True):
        self.normal(prefix + ".weight", (out_dim, in_dim), in_dim ** -0.5, dtype)
        if bias:
            self.normal(prefix + ".bias", (out_dim,), 0.02, dtype)


def add_vit(w, prefix, cfg, registers):
    width, dtype = cfg["width"], "BF16"
    w.normal(prefix + ".patch_embed.proj.weight", (width, 3, 14, 14), (3 * 14 * 14) ** -0.5, dtype)
    w.normal(prefix + ".patch_embed.proj.bias", (width,), 0.02, dtype)
    w.normal(prefix + ".pos_embed", (1, 256, width), 0.02, dtype)
    if registers:
        w.normal(prefix + ".cls_token", (1, 1, width), 0.02, dtype)
        w.normal(prefix + ".reg_token", (1, registers, width), 0.02, dtype)
    for i in range(cfg["feature_layer"] + 1):
        b = f"{prefix}.blocks.{i}"
        for norm in ("norm1", "norm2"):
            w.const(f"{b}.{norm}.weight", (width,), 1.0, dtype)
            w.normal(f"{b}.{norm}.bias", (width,), 0.02, dtype)
        w.linear(b + ".attn.qkv", 3 * width, width, dtype)
        w.linear(b + ".attn.proj", width, width, dtype)
        w.linear(b + ".mlp.fc1", cfg["mlp_dim"], width, dtype)
        w.linear(b + ".mlp.fc2", width, cfg["mlp_dim"], dtype)
        if registers:
            w.const(f"{b}.ls1.gamma", (width,), 0.1, dtype)
            w.const(f"{b}.ls2.gamma", (width,), 0.1, dtype)


def build():
    w = Weights(seed=20261126)
    vision = CONFIG["vision"]
    add_vit(w, "vision_backbone.dino_featurizer", vision["dino"], vision["dino"]["register_tokens"])
    add_vit(w, "vision_backbone.siglip_featurizer", vision["siglip"], 0)

    fused = vision["dino"]["width"] + vision["siglip"]["width"]
    llm = CONFIG["llm"]
    h = llm["hidden"]
    w.linear("projector.projector.0", 4 * fused, fused, "F16")
    w.linear("projector.projector.2", h, 4 * fused, "F16")
    w.linear("projector.projector.4", h, h, "F16")

    p = "llm_backbone.llm.model"
    w.normal(p + ".embed_tokens.weight", (VOCAB, h), 1.0, "F16")
    for i in range(llm["layers"]):
        b = f"{p}.layers.{i}"
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            w.linear(f"{b}.self_attn.{name}", h, h, "F16", bias=False)
        w.linear(b + ".mlp.gate_proj", llm["intermediate"], h, "F16", bias=False)
        w.linear(b + ".mlp.up_proj", llm["intermediate"], h, "F16", bias=False)
        w.linear(b + ".mlp.down_proj", h, llm["intermediate"], "F16", bias=False)
        w.const(b + ".input_layernorm.weight", (h,), 1.0, "F16")
        w.const(b + ".post_attention_layernorm.weight", (h,), 1.0, "F16")
    w.const(p + ".norm.weight", (h,), 1.0, "F16")

    act = CONFIG["action"]
    d = act["hidden"]
    n = "action_model.net"
    w.linear(n + ".x_embedder.linear", d, 7, "F32")
    w.linear(n + ".t_embedder.mlp.0", d, 256, "F32")
    w.linear(n + ".t_embedder.mlp.2", d, d, "F32")
    w.normal(n + ".z_embedder.uncondition", (1, h), 1.0, "F32")
    w.linear(n + ".z_embedder.linear", d, h, "F32")
    w.normal(n + ".positional_embedding", (act["horizon"] + 1, d), 0.02, "F32")
    for i in range(act["depth"]):
        b = f"{n}.blocks.{i}"
        w.linear(b + ".attn.qkv", 3 * d, d, "F32")
        w.linear(b + ".attn.proj", d, d, "F32")
        w.linear(b + ".mlp.fc1", 4 * d, d, "F32")
        w.linear(b + ".mlp.fc2", d, 4 * d, "F32")
    w.normal(n + ".final_layer.linear.weight", (7, d), 0.02, "F32")
    w.const(n + ".final_layer.linear.bias", (7,), 0.0, "F32")
    return w.tensors


def to_bytes(array, dtype):
    if dtype == "F32":
        return array.astype("<f4").tobytes()
    if dtype == "F16":
        return array.astype("<f2").tobytes()
    # BF16: round to nearest even on the upper 16 bits of the float32 pattern.
    bits = array.astype("<f4").view("<u4").astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2").tobytes()


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        array, dtype = tensors[name]
        blob = to_bytes(array, dtype)
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt", "producer": "tools/demo/make_demo_model.py"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main(directory):
    out = Path(directory)
    if not (out / "tokenizer.model").exists():
        sys.exit(f"{out}/tokenizer.model is missing: run tools/demo/train_tokenizer.py first")
    write_safetensors(out / "model.safetensors", build())
    (out / "config.json").write_text(json.dumps(CONFIG, indent=2) + "\n")
    (out / "dataset_statistics.json").write_text(json.dumps(STATISTICS, indent=2) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1])
