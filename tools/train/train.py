"""Trains a CogACT on a directory of episode bags, resumable from checkpoints.

    python tools/train/train.py --bags DIR --config CONFIG.json --out RUN_DIR --steps N \\
        --batch B --lr LR --seed S [--warmup W] [--checkpoint-every K] [--resume]

RUN_DIR receives config.json, tokenizer.model (trained on the bags' instructions),
dataset_statistics.json, checkpoint.pt (model, AdamW, schedule, every RNG state, step, wall
time; rewritten every K steps and at the end), curve.csv (step, loss, lr, wall_s, samples_per_s)
and finally the exported model directory RUN_DIR/model. Batches are drawn uniformly with
replacement from a seeded generator whose state is checkpointed, so ``--resume`` continues the
exact run: N steps in one go and N/2 + resume + N/2 give the same weights.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from episodes import EpisodeDataset, collate, dataset_statistics, read_bags, write_tokenizer
from export import build_model, export
from loss import DiffusionLoss
from policy import pixel_values

CURVE_FIELDS = ["step", "loss", "lr", "wall_s", "samples_per_s"]


def warmup_cosine(warmup: int, steps: int):
    """LambdaLR factor: linear from 1/warmup to 1 over ``warmup`` steps, then cosine to 0 at ``steps``."""
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))
    return factor


def batch_pixels(frames: list[np.ndarray], tower: dict) -> torch.Tensor:
    """``[B, 3, S, S]`` normalised pixels of uint8 frames for one vision tower."""
    return torch.cat([pixel_values(frame, tower["mean"], tower["std"]) for frame in frames])


def batch_loss(model, loss: DiffusionLoss, batch, generator: torch.Generator) -> torch.Tensor:
    """The diffusion loss of one collated batch."""
    frames, ids, lengths, chunks = batch
    vision = model.config["vision"]
    projected = model.encode_image(batch_pixels(frames, vision["dino"]), batch_pixels(frames, vision["siglip"]))
    return loss(model.dit, chunks, model.cognition(projected, ids, lengths), generator)


class Run:
    """One training run's state in RUN_DIR: built fresh or restored from checkpoint.pt."""

    def __init__(self, args: argparse.Namespace):
        self.out, self.steps = args.out, args.steps
        episodes = read_bags(args.bags)
        self.config = json.loads(args.config.read_text())
        if args.resume:
            if json.loads((self.out / "config.json").read_text()) != self.config:
                raise SystemExit(f"train: {args.config} is not the config of the run in {self.out}")
        else:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / "config.json").write_text(json.dumps(self.config, indent=2) + "\n")
            write_tokenizer(episodes, self.config, self.out / "tokenizer.model")
            (self.out / "dataset_statistics.json").write_text(json.dumps(dataset_statistics(episodes), indent=2) + "\n")
        self.statistics = json.loads((self.out / "dataset_statistics.json").read_text())
        self.dataset = EpisodeDataset(episodes, self.config, self.out / "tokenizer.model", self.statistics)
        torch.manual_seed(args.seed)
        np.random.seed(args.seed)
        self.model = build_model(self.config, args.seed).train()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.optimizer, warmup_cosine(args.warmup, args.steps))
        self.sampler = torch.Generator().manual_seed(args.seed)
        self.noise = torch.Generator().manual_seed(args.seed + 1)
        self.step, self.wall = 0, 0.0
        if args.resume:
            self.restore()

    def state(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "schedule": self.schedule.state_dict(), "sampler": self.sampler.get_state(),
                "noise": self.noise.get_state(), "torch": torch.get_rng_state(),
                "numpy": np.random.get_state(), "step": self.step, "wall": self.wall}

    def save(self) -> None:
        """Writes checkpoint.pt atomically (a temporary file renamed over it)."""
        temporary = self.out / "checkpoint.pt.tmp"
        torch.save(self.state(), temporary)
        temporary.replace(self.out / "checkpoint.pt")

    def restore(self) -> None:
        state = torch.load(self.out / "checkpoint.pt", map_location="cpu", weights_only=False)
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.schedule.load_state_dict(state["schedule"])
        self.sampler.set_state(state["sampler"])
        self.noise.set_state(state["noise"])
        torch.set_rng_state(state["torch"])
        np.random.set_state(state["numpy"])
        self.step, self.wall = state["step"], state["wall"]

    def curve_writer(self):
        """curve.csv opened for appending, cut back to the rows up to the restored step."""
        path = self.out / "curve.csv"
        rows = list(csv.DictReader(path.read_text().splitlines())) if path.exists() else []
        stream = path.open("w", newline="")
        writer = csv.DictWriter(stream, fieldnames=CURVE_FIELDS)
        writer.writeheader()
        writer.writerows(row for row in rows if int(row["step"]) <= self.step)
        return stream, writer

    def train(self, batch_size: int, checkpoint_every: int) -> None:
        loss = DiffusionLoss(self.config["action"]["diffusion_steps"])
        stream, writer = self.curve_writer()
        with stream:
            while self.step < self.steps:
                started = time.perf_counter()
                indices = torch.randint(len(self.dataset), (batch_size,), generator=self.sampler)
                batch = collate([self.dataset[int(i)] for i in indices])
                lr = self.schedule.get_last_lr()[0]
                value = batch_loss(self.model, loss, batch, self.noise)
                self.optimizer.zero_grad()
                value.backward()
                self.optimizer.step()
                self.schedule.step()
                self.step += 1
                elapsed = time.perf_counter() - started
                self.wall += elapsed
                writer.writerow({"step": self.step, "loss": f"{value.item():.6f}", "lr": f"{lr:.6g}",
                                 "wall_s": f"{self.wall:.3f}", "samples_per_s": f"{batch_size / elapsed:.2f}"})
                if self.step % checkpoint_every == 0 or self.step == self.steps:
                    stream.flush()
                    self.save()

    def export(self) -> None:
        """RUN_DIR/model: the trained weights with the run's tokenizer and statistics."""
        shutil.rmtree(self.out / "model", ignore_errors=True)
        export(self.model.eval(), self.statistics, self.out / "model", tokenizer=self.out / "tokenizer.model")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bags", type=Path, required=True, help="directory of episode bags (*.mcap, searched recursively)")
    parser.add_argument("--config", type=Path, required=True, help="config.json of the model (docs/checkpoint-format.md)")
    parser.add_argument("--out", type=Path, required=True, help="run directory")
    parser.add_argument("--steps", type=int, required=True, help="total optimizer steps of the run")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-4, help="peak learning rate")
    parser.add_argument("--warmup", type=int, default=100, help="linear warm-up steps before the cosine decay")
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint-every", type=int, default=500)
    parser.add_argument("--resume", action="store_true",
                        help="continue from RUN_DIR/checkpoint.pt (give the run's other arguments again)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    run = Run(args)
    run.train(args.batch, args.checkpoint_every)
    run.export()
    print(f"step {run.step}, {run.wall:.1f} s; wrote {args.out / 'model'}")


if __name__ == "__main__":
    torch.set_num_threads(2)
    main()
