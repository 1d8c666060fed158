"""Trains a CogACT on a directory of episode bags, resumable from checkpoints.

    python tools/train/train.py --bags DIR --config CONFIG.json --out RUN_DIR --steps N \\
        --batch B --lr LR --seed S [--warmup W] [--checkpoint-every K] [--diffusion-repeats R] \\
        [--shift P] [--state-weight W] [--clip-grad C] [--resume]

RUN_DIR receives config.json, tokenizer.model (trained on the bags' instructions),
dataset_statistics.json, checkpoint.pt (model, AdamW, schedule, every RNG state, step, wall
time; rewritten every K steps and at the end), curve.csv (step, loss, action_loss, state_loss,
lr, wall_s, samples_per_s) and finally the exported model directory RUN_DIR/model. Batches are drawn uniformly with
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

from augment import random_shift
from auxiliary import StateHead
from episodes import EpisodeDataset, collate, dataset_statistics, read_bags, write_tokenizer
from export import build_model, export
from loss import DiffusionLoss
from policy import pixel_values

CURVE_FIELDS = ["step", "loss", "action_loss", "state_loss", "lr", "wall_s", "samples_per_s"]


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


def batch_loss(model, loss: DiffusionLoss, batch, generator: torch.Generator, repeats: int = 1,
               state_head: StateHead | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(diffusion loss, auxiliary state loss or None) of one collated batch. The DiT sees every
    sample ``repeats`` times with independent timesteps and noise (CogACT's repeated diffusion
    steps: the costly vision and language forward runs once)."""
    frames, ids, lengths, chunks, states = batch
    vision = model.config["vision"]
    projected = model.encode_image(batch_pixels(frames, vision["dino"]), batch_pixels(frames, vision["siglip"]))
    cognition = model.cognition(projected, ids, lengths)
    action = loss(model.dit, chunks.repeat(repeats, 1, 1), cognition.repeat(repeats, 1), generator)
    if state_head is None:
        return action, None
    return action, state_head.loss(cognition, states)


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
        self.repeats, self.shift, self.clip_grad = args.diffusion_repeats, args.shift, args.clip_grad
        self.state_weight = args.state_weight
        self.state_head = None
        if self.state_weight > 0:
            if not self.dataset.has_states:
                raise SystemExit(f"train: --state-weight needs /sim/observation in every bag under {args.bags}")
            self.state_head = StateHead(self.config["llm"]["hidden"]).train()
        parameters = list(self.model.parameters()) + (list(self.state_head.parameters()) if self.state_head else [])
        self.optimizer = torch.optim.AdamW(parameters, lr=args.lr, weight_decay=args.weight_decay)
        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.optimizer, warmup_cosine(args.warmup, args.steps))
        self.sampler = torch.Generator().manual_seed(args.seed)
        self.noise = torch.Generator().manual_seed(args.seed + 1)
        self.augment = torch.Generator().manual_seed(args.seed + 2)
        self.step, self.wall = 0, 0.0
        if args.resume:
            self.restore()

    def state(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "schedule": self.schedule.state_dict(), "sampler": self.sampler.get_state(),
                "noise": self.noise.get_state(), "augment": self.augment.get_state(),
                "state_head": self.state_head.state_dict() if self.state_head else None, "torch": torch.get_rng_state(),
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
        self.augment.set_state(state["augment"])
        if self.state_head is not None:
            self.state_head.load_state_dict(state["state_head"])
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
                frames, *rest = collate([self.dataset[int(i)] for i in indices])
                batch = (random_shift(frames, self.shift, self.augment), *rest)
                lr = self.schedule.get_last_lr()[0]
                action, state = batch_loss(self.model, loss, batch, self.noise, self.repeats, self.state_head)
                value = action if state is None else action + self.state_weight * state
                self.optimizer.zero_grad()
                value.backward()
                if self.clip_grad > 0:
                    torch.nn.utils.clip_grad_norm_(self.optimizer.param_groups[0]["params"], self.clip_grad)
                self.optimizer.step()
                self.schedule.step()
                self.step += 1
                elapsed = time.perf_counter() - started
                self.wall += elapsed
                writer.writerow({"step": self.step, "loss": f"{value.item():.6f}",
                                 "action_loss": f"{action.item():.6f}",
                                 "state_loss": "" if state is None else f"{state.item():.6f}", "lr": f"{lr:.6g}",
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
    parser.add_argument("--diffusion-repeats", type=int, default=1,
                        help="timesteps drawn per sample for the DiT loss (CogACT uses 4; default 1)")
    parser.add_argument("--shift", type=int, default=0, help="random-shift augmentation in pixels (default 0: off)")
    parser.add_argument("--state-weight", type=float, default=0.0,
                        help="weight of the training-only auxiliary state loss (auxiliary.py; default 0: off)")
    parser.add_argument("--clip-grad", type=float, default=0.0, help="gradient-norm clip (default 0: off)")
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
