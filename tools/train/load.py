"""Loads a model directory (the one export.py writes, a converted release, or the tiny
fixture) into the torch modules: every tensor a module has must be in the checkpoint with the
same shape; checkpoint tensors that inference never reads (lm_head, attn_pool, later ViT
blocks, …) are skipped. F16/BF16 weights are widened to F32.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

from cogact_model import CogACT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "convert"))
from cogact_layout import is_unused  # noqa: E402  (tools/convert: which released tensors inference skips)


def read_weights(directory: Path) -> dict[str, torch.Tensor]:
    """All tensors of ``model.safetensors`` or of the shards listed in its index."""
    index = directory / "model.safetensors.index.json"
    if not index.exists():
        return load_file(str(directory / "model.safetensors"))
    tensors: dict[str, torch.Tensor] = {}
    for shard in sorted(set(json.loads(index.read_text())["weight_map"].values())):
        tensors.update(load_file(str(directory / shard)))
    return tensors


def load_model(directory: Path) -> tuple[CogACT, dict]:
    """``(model, dataset statistics)`` of a model directory."""
    config = json.loads((directory / "config.json").read_text())
    model = CogACT(config)
    weights = read_weights(directory)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(weights))
    if missing:
        raise KeyError(f"{directory}: missing tensors {missing[:5]}{' …' if len(missing) > 5 else ''}")
    extra = sorted(name for name in set(weights) - set(expected) if not is_unused(name, config))
    if extra:
        raise KeyError(f"{directory}: tensors the model does not have {extra[:5]}")
    for name, tensor in expected.items():
        if tuple(weights[name].shape) != tuple(tensor.shape):
            raise ValueError(f"{name}: shape {list(weights[name].shape)}, config gives {list(tensor.shape)}")
    model.load_state_dict({name: weights[name].to(torch.float32) for name in expected})
    statistics = json.loads((directory / "dataset_statistics.json").read_text())
    return model.eval(), statistics
