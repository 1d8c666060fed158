#!/usr/bin/env python3
"""Writes a CogACT-Base-shaped torch checkpoint, to time the converter on a real-size input.

The file has the released layout, ``torch.save({"model": {"vision_backbone": …, "projector": …,
"llm_backbone": …, "action_model": …}})``, with every tensor the release holds (including those
inference never reads: the LM head, the ViT blocks after the feature layer, the DiT's history
embedder), each with its own storage. Values are seeded random, in ``--dtype`` (BF16 by default:
15 GB; the release is F32, 30 GB, which needs that much RAM to write with torch.save).

Needs torch (the tools/train venv):
    python tools/convert/make_synthetic_base_checkpoint.py --out /tmp/CogACT-Base-synthetic.pt
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

import cogact_layout as layout
import make_synthetic_base as synthetic

DTYPES = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32}


def checkpoint(config: dict, dtype: torch.dtype, seed: int) -> dict:
    """The nested state dict of a release with ``config``'s dimensions (CogACT-Base's in ``main``), seeded values."""
    shapes = {**layout.expected_shapes(config), **synthetic.projector_shapes(config)}
    generator = torch.Generator().manual_seed(seed)
    model: dict = {}
    for name, shape in shapes.items():
        module, key = name.split(".", 1)
        model.setdefault(module, {})[key] = (torch.rand(shape, generator=generator) * 0.02 - 0.01).to(dtype)
    return {"model": model}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="checkpoint path to write")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="bf16")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    torch.save(checkpoint(synthetic.base_config(32), DTYPES[arguments.dtype], arguments.seed), arguments.out)
    print(f"wrote {arguments.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
