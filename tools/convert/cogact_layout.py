"""CogACT's released state-dict layout: flattening, which keys inference skips, and the
config.json inferred from the weights (schema: docs/checkpoint-format.md).

Everything here works on shapes only; no tensor data is read.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Mapping

MODULES = ("vision_backbone", "projector", "llm_backbone", "action_model")
VLM_MODULES = ("vision_backbone", "projector", "llm_backbone")
VIT_TOWERS = ("dino_featurizer", "siglip_featurizer")

# Head sizes of the released towers (DINOv2-L/14: 1024/16, SigLIP so400m: 1152/16, LLaMA-2-7B: 4096/32,
# DiT: 64 for S/B/L), used to count heads, which the weights do not record.
HEAD_DIM = {"dino": 64, "siglip": 72, "llm": 128, "action": 64}
DIT_SIZES = {384: "S", 768: "B", 1024: "L"}
TIMESTEP_FREQUENCIES = 256  # CogACT's TimestepEmbedder frequency_embedding_size

# CogACT-Base values of the fields the weights do not determine (checkpoint-format.md).
BASE_CONFIG = {
    "architecture": "cogact",
    "vision": {
        "dino": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "layer_norm_eps": 1e-6},
        "siglip": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "layer_norm_eps": 1e-6},
    },
    "llm": {"rms_norm_eps": 1e-5, "rope_theta": 10000.0},
    "action": {"diffusion_steps": 100, "noise_schedule": "squaredcos_cap_v2", "ddim_steps": 10, "cfg_scale": 1.5},
    "prompt": "In: What action should the robot take to {instruction}?\nOut:",
    "cognition_suffix_ids": [29871, 2],
}


class LayoutError(Exception):
    """The checkpoint does not have CogACT's layout; the message names the key and the shapes."""


def flatten(root: object) -> dict[str, object]:
    """``{"model": {module: {key: tensor}}}`` → ``{"module.key": tensor}``, in checkpoint order."""
    if not isinstance(root, Mapping) or "model" not in root:
        found = sorted(map(str, root.keys())) if isinstance(root, Mapping) else type(root).__name__
        raise LayoutError(f"the checkpoint has no top-level \"model\" key (found {found}); "
                          "a released CogACT .pt is {\"model\": {\"vision_backbone\": …, \"projector\": …, \"llm_backbone\": …, \"action_model\": …}}")
    model = root["model"]
    if not isinstance(model, Mapping):
        raise LayoutError(f"checkpoint[\"model\"] is a {type(model).__name__}, expected a dict of modules")
    missing = [m for m in MODULES if m not in model]
    if missing:
        raise LayoutError(f"checkpoint[\"model\"] lacks module(s) {missing} (has {sorted(map(str, model))}); "
                          "the converter needs all of vision_backbone, projector, llm_backbone and action_model")
    flat: dict[str, object] = {}
    for module, state in model.items():
        if not isinstance(state, Mapping):
            raise LayoutError(f"checkpoint[\"model\"][\"{module}\"] is a {type(state).__name__}, expected a state dict")
        for key, value in state.items():
            flat[f"{module}.{key}"] = value
    return flat


def block_count(shapes: Mapping[str, tuple], prefix: str) -> int:
    """Number of ``<prefix>.<i>.*`` blocks; they must be numbered 0..n-1."""
    pattern = re.compile(re.escape(prefix) + r"\.(\d+)\.")
    indices = {int(m.group(1)) for name in shapes if (m := pattern.match(name))}
    if not indices:
        raise LayoutError(f"no {prefix}.<i>.* tensors in the checkpoint")
    if indices != set(range(len(indices))):
        raise LayoutError(f"{prefix}: block indices {sorted(indices)} are not 0..{len(indices) - 1}")
    return len(indices)


def _shape(shapes: Mapping[str, tuple], name: str, rank: int) -> tuple:
    if name not in shapes:
        raise LayoutError(f"missing tensor {name}, needed to infer the architecture")
    shape = shapes[name]
    if len(shape) != rank:
        raise LayoutError(f"{name} has shape {list(shape)}, expected rank {rank}")
    return shape


def _heads(width: int, part: str, override: int | None, where: str) -> int:
    heads = override if override is not None else width // HEAD_DIM[part]
    if not isinstance(heads, int) or isinstance(heads, bool):
        raise LayoutError(f"--set {where}.heads={heads!r}: the head count must be a whole number")
    if heads <= 0 or width % heads:
        raise LayoutError(f"{where}: width {width} does not split into {heads} heads; pass the head count with --set {where}.heads=N")
    return heads


def infer_config(shapes: Mapping[str, tuple], overrides: Mapping[str, object] | None = None) -> dict:
    """config.json for the checkpoint: dimensions from the weights, the rest CogACT-Base's.

    ``overrides`` maps dotted config paths (``"llm.heads"``) to values; head counts, which the
    weights cannot give, are read from there first.
    """
    overrides = dict(overrides or {})
    config = copy.deepcopy(BASE_CONFIG)
    vision = config["vision"]
    geometry = set()
    for part, tower in (("dino", "dino_featurizer"), ("siglip", "siglip_featurizer")):
        prefix = f"vision_backbone.{tower}"
        patch = _shape(shapes, f"{prefix}.patch_embed.proj.weight", 4)
        width, patch_size = patch[0], patch[2]
        if patch_size <= 0 or patch[3] != patch_size:
            raise LayoutError(f"{prefix}.patch_embed.proj.weight has shape {list(patch)}; expected square patches (width, 3, p, p)")
        positions = _shape(shapes, f"{prefix}.pos_embed", 3)[1]
        grid = round(positions ** 0.5)
        if grid * grid != positions:
            raise LayoutError(f"{prefix}.pos_embed has {positions} positions, not a square grid of patches")
        geometry.add((grid * patch_size, patch_size))
        depth = block_count(shapes, f"{prefix}.blocks")
        tower_config = {"width": width, "depth": depth,
                        "heads": _heads(width, part, overrides.pop(f"vision.{part}.heads", None), f"vision.{part}"),
                        "mlp_dim": _shape(shapes, f"{prefix}.blocks.0.mlp.fc1.weight", 2)[0]}
        if part == "dino":
            tower_config["register_tokens"] = _shape(shapes, f"{prefix}.reg_token", 3)[1] if f"{prefix}.reg_token" in shapes else 0
        tower_config["feature_layer"] = depth - 2
        if depth < 2:
            raise LayoutError(f"{prefix} has {depth} block(s); CogACT takes the second-to-last block's output")
        vision[part] = {**tower_config, **vision[part]}
    if len(geometry) != 1:
        raise LayoutError(f"the two ViTs disagree on (image size, patch size): {sorted(geometry)}")
    image_size, patch_size = geometry.pop()
    config["vision"] = {"image_size": image_size, "patch_size": patch_size, "dino": vision["dino"], "siglip": vision["siglip"]}

    vocab, hidden = _shape(shapes, "llm_backbone.llm.model.embed_tokens.weight", 2)
    heads = _heads(hidden, "llm", overrides.pop("llm.heads", None), "llm")
    kv_rows = _shape(shapes, "llm_backbone.llm.model.layers.0.self_attn.k_proj.weight", 2)[0]
    if kv_rows % (hidden // heads):
        raise LayoutError(f"llm_backbone.llm.model.layers.0.self_attn.k_proj.weight has {kv_rows} rows, "
                          f"not a multiple of the head size {hidden // heads}")
    config["llm"] = {"hidden": hidden, "layers": block_count(shapes, "llm_backbone.llm.model.layers"), "heads": heads,
                     "kv_heads": kv_rows // (hidden // heads),
                     "intermediate": _shape(shapes, "llm_backbone.llm.model.layers.0.mlp.gate_proj.weight", 2)[0],
                     "vocab": vocab, **config["llm"]}

    tokens, width = _shape(shapes, "action_model.net.positional_embedding", 2)
    dit_heads = overrides.pop("action.heads", None)
    config["action"] = {"hidden": width, "depth": block_count(shapes, "action_model.net.blocks"),
                        "heads": _heads(width, "action", dit_heads, "action"),
                        "action_dim": _shape(shapes, "action_model.net.x_embedder.linear.weight", 2)[1],
                        "horizon": tokens - 1, **config["action"]}
    for path, value in overrides.items():
        _set_path(config, path, value)
    return config


def dit_size(config: dict) -> str:
    """"S", "B" or "L" for the released DiT widths, else a description."""
    width = config["action"]["hidden"]
    return DIT_SIZES.get(width, f"custom ({width} wide)")


def _set_path(config: dict, path: str, value: object) -> None:
    node = config
    keys = path.split(".")
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            raise LayoutError(f"--set {path}: config.json has no section {key!r}")
        node = node[key]
    if keys[-1] not in node:
        raise LayoutError(f"--set {path}: config.json has no key {keys[-1]!r} there (known: {sorted(node)})")
    node[keys[-1]] = value


def parse_override(text: str) -> tuple[str, object]:
    """``"llm.heads=4"`` → ``("llm.heads", 4)``; the value is JSON, or a plain string."""
    path, separator, raw = text.partition("=")
    if not separator or not path:
        raise ValueError(f"--set expects PATH=VALUE, got {text!r}")
    try:
        return path, json.loads(raw)
    except json.JSONDecodeError:
        return path, raw


def expected_shapes(config: dict) -> dict[str, tuple]:
    """Every tensor the engine reads (and the unused released ones), with the shape ``config`` implies."""
    expected: dict[str, tuple] = {}
    vision = config["vision"]
    patch, grid = vision["patch_size"], vision["image_size"] // vision["patch_size"]
    for part, tower in (("dino", "dino_featurizer"), ("siglip", "siglip_featurizer")):
        c, p = vision[part], f"vision_backbone.{tower}"
        w, m = c["width"], c["mlp_dim"]
        expected.update({f"{p}.patch_embed.proj.weight": (w, 3, patch, patch), f"{p}.patch_embed.proj.bias": (w,),
                         f"{p}.pos_embed": (1, grid * grid, w), f"{p}.norm.weight": (w,), f"{p}.norm.bias": (w,)})
        if part == "dino":
            expected[f"{p}.cls_token"] = (1, 1, w)
            if c["register_tokens"]:
                expected[f"{p}.reg_token"] = (1, c["register_tokens"], w)
        for i in range(c["depth"]):
            b = f"{p}.blocks.{i}"
            for norm in ("norm1", "norm2"):
                expected.update({f"{b}.{norm}.weight": (w,), f"{b}.{norm}.bias": (w,)})
            expected.update({f"{b}.attn.qkv.weight": (3 * w, w), f"{b}.attn.qkv.bias": (3 * w,),
                             f"{b}.attn.proj.weight": (w, w), f"{b}.attn.proj.bias": (w,),
                             f"{b}.mlp.fc1.weight": (m, w), f"{b}.mlp.fc1.bias": (m,),
                             f"{b}.mlp.fc2.weight": (w, m), f"{b}.mlp.fc2.bias": (w,)})
            if part == "dino":
                expected.update({f"{b}.ls1.gamma": (w,), f"{b}.ls2.gamma": (w,)})

    llm = config["llm"]
    h, inter, head_dim = llm["hidden"], llm["intermediate"], llm["hidden"] // llm["heads"]
    kv = llm["kv_heads"] * head_dim
    expected.update({"llm_backbone.llm.model.embed_tokens.weight": (llm["vocab"], h),
                     "llm_backbone.llm.model.norm.weight": (h,), "llm_backbone.llm.lm_head.weight": (llm["vocab"], h)})
    for i in range(llm["layers"]):
        b = f"llm_backbone.llm.model.layers.{i}"
        expected.update({f"{b}.self_attn.q_proj.weight": (h, h), f"{b}.self_attn.k_proj.weight": (kv, h),
                         f"{b}.self_attn.v_proj.weight": (kv, h), f"{b}.self_attn.o_proj.weight": (h, h),
                         f"{b}.mlp.gate_proj.weight": (inter, h), f"{b}.mlp.up_proj.weight": (inter, h),
                         f"{b}.mlp.down_proj.weight": (h, inter),
                         f"{b}.input_layernorm.weight": (h,), f"{b}.post_attention_layernorm.weight": (h,)})

    a = config["action"]
    d, n = a["hidden"], a["action_dim"]
    net = "action_model.net"
    expected.update({f"{net}.x_embedder.linear.weight": (d, n), f"{net}.x_embedder.linear.bias": (d,),
                     f"{net}.history_embedder.linear.weight": (d, n), f"{net}.history_embedder.linear.bias": (d,),
                     f"{net}.t_embedder.mlp.0.weight": (d, TIMESTEP_FREQUENCIES), f"{net}.t_embedder.mlp.0.bias": (d,),
                     f"{net}.t_embedder.mlp.2.weight": (d, d), f"{net}.t_embedder.mlp.2.bias": (d,),
                     f"{net}.z_embedder.uncondition": (1, h), f"{net}.z_embedder.linear.weight": (d, h),
                     f"{net}.z_embedder.linear.bias": (d,), f"{net}.positional_embedding": (a["horizon"] + 1, d),
                     f"{net}.final_layer.linear.weight": (n, d), f"{net}.final_layer.linear.bias": (n,)})
    for i in range(a["depth"]):
        b = f"{net}.blocks.{i}"
        expected.update({f"{b}.attn.qkv.weight": (3 * d, d), f"{b}.attn.qkv.bias": (3 * d,),
                         f"{b}.attn.proj.weight": (d, d), f"{b}.attn.proj.bias": (d,),
                         f"{b}.mlp.fc1.weight": (4 * d, d), f"{b}.mlp.fc1.bias": (4 * d,),
                         f"{b}.mlp.fc2.weight": (d, 4 * d), f"{b}.mlp.fc2.bias": (d,)})
    return expected


def check_shapes(shapes: Mapping[str, tuple], config: dict) -> None:
    """Raises :class:`LayoutError` for a tensor the engine needs that is missing or mis-shaped."""
    expected = expected_shapes(config)
    optional = {name for name in expected if is_unused(name, config)}
    for name, shape in expected.items():
        if name not in shapes:
            if name in optional:
                continue
            raise LayoutError(f"missing tensor {name} (expected shape {list(shape)})")
        if tuple(shapes[name]) != shape:
            raise LayoutError(f"{name} has shape {list(shapes[name])}, expected {list(shape)}{_hint(name, config)}")
    _check_projector(shapes, config)


def _hint(name: str, config: dict) -> str:
    if name.endswith("attn.qkv.weight") or name.endswith("attn.qkv.bias"):
        return " (qkv stacks q, k and v: 3 × the width rows)"
    if name.endswith("positional_embedding"):
        return " (1 cognition token + horizon action tokens)"
    return ""


def _check_projector(shapes: Mapping[str, tuple], config: dict) -> None:
    vision, hidden = config["vision"], config["llm"]["hidden"]
    fused = vision["dino"]["width"] + vision["siglip"]["width"]
    first = _shape(shapes, "projector.projector.0.weight", 2)
    inner = first[0]
    for name, shape in {"projector.projector.0.weight": (inner, fused), "projector.projector.0.bias": (inner,),
                        "projector.projector.2.weight": (hidden, inner), "projector.projector.2.bias": (hidden,),
                        "projector.projector.4.weight": (hidden, hidden), "projector.projector.4.bias": (hidden,)}.items():
        found = _shape(shapes, name, len(shape))
        if tuple(found) != shape:
            raise LayoutError(f"{name} has shape {list(found)}, expected {list(shape)} "
                              f"(fused DINO+SigLIP width {fused} → {inner} → LLaMA width {hidden})")


def is_unused(name: str, config: dict) -> bool:
    """Whether inference never reads ``name`` (skipped unless --keep-all)."""
    if name == "llm_backbone.llm.lm_head.weight" or ".attn_pool." in name:
        return True
    if name.startswith("action_model.net.history_embedder."):
        return True
    match = re.match(r"vision_backbone\.(dino|siglip)_featurizer\.(norm\.|blocks\.(\d+)\.)", name)
    if match:
        if match.group(2) == "norm.":
            return True
        return int(match.group(3)) > config["vision"][match.group(1)]["feature_layer"]
    return name.split(".", 1)[0] not in MODULES
