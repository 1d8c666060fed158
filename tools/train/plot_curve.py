"""Plots a training run's curve.csv: the diffusion (action) loss and the auxiliary state loss against
accumulated training time, each smoothed over a window of steps.

usage: plot_curve.py RUN_DIR/curve.csv --out FIGURE.png [--window 100]
"""
import argparse
import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def smoothed(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` values (shorter at the start)."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    return (sums[1:] - sums[np.maximum(0, np.arange(1, len(values) + 1) - window)]) / counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("curve", type=Path, help="curve.csv written by train.py")
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--window", type=int, default=100, help="smoothing window in steps (default 100)")
    args = parser.parse_args()
    rows = list(csv.DictReader(args.curve.read_text().splitlines()))
    minutes = np.array([float(r["wall_s"]) for r in rows]) / 60
    figure, axes = plt.subplots(figsize=(6, 3.5), dpi=120)
    for column, label in (("action_loss", "diffusion loss (ε MSE)"), ("state_loss", "auxiliary state loss")):
        if rows and rows[0].get(column):
            axes.plot(minutes, smoothed(np.array([float(r[column]) for r in rows]), args.window), label=label)
    axes.set_yscale("log")
    axes.set_xlabel("training time (minutes of optimizer steps, 2 CPU threads)")
    axes.set_ylabel(f"loss ({args.window}-step mean)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(args.out)


if __name__ == "__main__":
    main()
