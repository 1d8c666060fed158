"""Exports the model of a training run's checkpoint.pt as a model directory vla-node loads, with
the run's tokenizer and dataset statistics (the auxiliary state head is not part of it).

usage: export_checkpoint.py RUN_DIR --out MODEL_DIR      (prints the checkpoint's step and wall time)
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

from export import build_model, export


def export_checkpoint(run: Path, out: Path) -> dict:
    """Writes ``out`` from ``run/checkpoint.pt``; returns {"step", "wall_s"} of the checkpoint."""
    config = json.loads((run / "config.json").read_text())
    state = torch.load(run / "checkpoint.pt", map_location="cpu", weights_only=False)
    model = build_model(config, seed=0)
    model.load_state_dict(state["model"])
    shutil.rmtree(out, ignore_errors=True)
    export(model.eval(), json.loads((run / "dataset_statistics.json").read_text()), out, tokenizer=run / "tokenizer.model")
    return {"step": state["step"], "wall_s": round(state["wall"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="training run directory (train.py --out)")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    args = parser.parse_args()
    print(json.dumps(export_checkpoint(args.run, args.out)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
