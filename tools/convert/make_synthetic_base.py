#!/usr/bin/env python3
"""Writes a synthetic CogACT-Base model directory: the exact tensor names, shapes and dtypes
that ``convert_cogact.py --dtype bf16`` writes for the released CogACT-Base (vision towers,
projector and LLaMA-2 in BF16, the DiT in F32, 4 GB shards with an index), filled with seeded
random values, plus config.json and the given statistics and tokenizer.

It exists to measure loading a real-size model (``vla-node predict`` cold and warm) without
the 30 GB release. The values are uniform in ±1/√fan_in (norm weights and LayerScale 1, biases
±0.01), drawn from one seeded pool tiled over each tensor, which keeps activations finite.

    python tools/convert/make_synthetic_base.py --out /tmp/cogact-base-synthetic \\
        --statistics Tests/Fixtures/cogact-tiny/model/dataset_statistics.json \\
        --tokenizer Tests/Fixtures/cogact-tiny/model/tokenizer.model
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

import numpy as np

import cogact_layout as layout
import dtypes
import safetensors_out as out

POOL_SIZE = 1 << 24


def base_config(llm_layers: int) -> dict:
    """CogACT-Base's config.json (what the converter infers from the release), with ``llm_layers`` layers."""
    config = json.loads(json.dumps(layout.BASE_CONFIG))
    vision = config["vision"]
    config["vision"] = {
        "image_size": 224, "patch_size": 14,
        "dino": {"width": 1024, "depth": 24, "heads": 16, "mlp_dim": 4096, "register_tokens": 4, "feature_layer": 22,
                 **vision["dino"]},
        "siglip": {"width": 1152, "depth": 27, "heads": 16, "mlp_dim": 4304, "feature_layer": 25, **vision["siglip"]},
    }
    config["llm"] = {"hidden": 4096, "layers": llm_layers, "heads": 32, "kv_heads": 32, "intermediate": 11008,
                     "vocab": 32064, **config["llm"]}
    config["action"] = {"hidden": 768, "depth": 12, "heads": 12, "action_dim": 7, "horizon": 16, **config["action"]}
    return config


def planned_tensors(config: dict) -> list[out.PlannedTensor]:
    """The tensors the converter keeps by default, in its dtypes (VLM BF16, action model F32)."""
    shapes = {**layout.expected_shapes(config), **projector_shapes(config)}
    inferred = layout.infer_config(shapes)
    if inferred != config:
        raise AssertionError(f"the converter would infer a different config from these shapes: {inferred}")
    return [out.PlannedTensor(name, "BF16" if name.split(".", 1)[0] in layout.VLM_MODULES else "F32", shape)
            for name, shape in shapes.items() if not layout.is_unused(name, config)]


def projector_shapes(config: dict) -> dict[str, tuple]:
    """Prismatic's fused GELU-MLP projector (the layout check leaves it to the checkpoint): F → 4F → D → D."""
    fused = config["vision"]["dino"]["width"] + config["vision"]["siglip"]["width"]
    hidden = config["llm"]["hidden"]
    shapes: dict[str, tuple] = {}
    for index, (rows, columns) in zip((0, 2, 4), ((4 * fused, fused), (hidden, 4 * fused), (hidden, hidden))):
        shapes[f"projector.projector.{index}.weight"] = (rows, columns)
        shapes[f"projector.projector.{index}.bias"] = (rows,)
    return shapes


class ValueSource:
    """Seeded values for any tensor: a uniform pool in [-1, 1), tiled from a per-tensor offset and scaled."""

    def __init__(self, seed: int):
        self.pool = np.random.default_rng(seed).uniform(-1, 1, POOL_SIZE).astype(np.float32)

    def values(self, tensor: out.PlannedTensor) -> np.ndarray:
        count = int(np.prod(tensor.shape))
        if tensor.name.endswith("norm.weight") or tensor.name.endswith(".gamma"):
            data = np.ones(count, np.float32)
        else:
            fan_in = int(np.prod(tensor.shape[1:])) if len(tensor.shape) > 1 else tensor.shape[-1]
            scale = 0.01 if tensor.name.endswith(".bias") else 1 / np.sqrt(max(fan_in, 1))
            start = hash_offset(tensor.name)
            data = np.resize(np.roll(self.pool, -start), count) * np.float32(scale)
        return dtypes.convert(data.reshape(tensor.shape), "F32", tensor.dtype)


def hash_offset(name: str) -> int:
    """A stable offset into the pool for ``name`` (FNV-1a), so tensors do not share values."""
    value = 0xCBF29CE484222325
    for byte in name.encode():
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value % POOL_SIZE


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="model directory to create")
    parser.add_argument("--statistics", required=True, help="dataset_statistics.json to copy")
    parser.add_argument("--tokenizer", required=True, help="tokenizer.model to copy")
    parser.add_argument("--llm-layers", type=int, default=32, help="LLaMA layers (32 for CogACT-Base; fewer for a quick test)")
    parser.add_argument("--shard-size", default="4GB", help="shard size, as the converter's option (default 4GB)")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)
    if arguments.llm_layers < 1:
        parser.error("--llm-layers must be at least 1")
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    config = base_config(arguments.llm_layers)
    plan = planned_tensors(config)
    shards = out.plan_shards(plan, out.parse_size(arguments.shard_size))
    names = out.shard_file_names(len(shards))
    os.makedirs(arguments.out, exist_ok=True)
    out.remove_stale_outputs(arguments.out, names)
    source = ValueSource(arguments.seed)
    for index, (shard, name) in enumerate(zip(shards, names), start=1):
        print(f"writing {name} ({len(shard)} tensors, {sum(t.nbytes for t in shard) / 1e9:.2f} GB) [{index}/{len(shards)}]", flush=True)
        out.write_file(os.path.join(arguments.out, name), shard, produce=source.values)
    if len(shards) > 1:
        out.write_index(arguments.out, shards, names)
    with open(os.path.join(arguments.out, "config.json"), "w") as stream:
        json.dump(config, stream, indent=2)
        stream.write("\n")
    shutil.copyfile(arguments.statistics, os.path.join(arguments.out, "dataset_statistics.json"))
    shutil.copyfile(arguments.tokenizer, os.path.join(arguments.out, "tokenizer.model"))
    out.verify(arguments.out, shards, names)
    total = sum(t.nbytes for t in plan)
    print(f"wrote {len(plan)} tensors, {total / 1e9:.2f} GB in {len(shards)} file(s) to {arguments.out} "
          f"in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
