"""Action normalisation to [-1, 1] by the 1st/99th percentiles (OpenVLA's BOUNDS_Q99), its
inverse as the engine applies it, and the dataset_statistics.json entry of a dataset.
"""
from __future__ import annotations

import numpy as np


def _bounds(stats: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """q01, q99 and the mask (all true when absent, as OpenVLA reads it)."""
    low, high = np.asarray(stats["q01"], dtype=np.float64), np.asarray(stats["q99"], dtype=np.float64)
    return low, high, np.asarray(stats.get("mask", [True] * len(low)), dtype=bool)


def action_statistics(actions: np.ndarray, mask: list[bool]) -> dict:
    """The ``"action"`` entry of dataset_statistics.json for ``[N, action_dim]`` actions."""
    actions = np.asarray(actions, dtype=np.float64)
    if len(mask) != actions.shape[1]:
        raise ValueError(f"mask has {len(mask)} entries, actions have {actions.shape[1]} dimensions")
    return {"mean": actions.mean(0).tolist(), "std": actions.std(0).tolist(),
            "min": actions.min(0).tolist(), "max": actions.max(0).tolist(),
            "q01": np.quantile(actions, 0.01, axis=0).tolist(), "q99": np.quantile(actions, 0.99, axis=0).tolist(),
            "mask": [bool(m) for m in mask]}


def normalize(actions: np.ndarray, stats: dict) -> np.ndarray:
    """Masked dimensions: ``clip(2(a − q01)/(q99 − q01 + 1e-8) − 1, −1, 1)``, and 0 where
    q01 == q99 (a constant dimension); unmasked dimensions (the gripper) are kept."""
    low, high, mask = _bounds(stats)
    scaled = np.clip(2 * (actions - low) / (high - low + 1e-8) - 1, -1, 1)
    scaled = np.where(low == high, 0.0, scaled)
    return np.where(mask, scaled, actions).astype(np.float32)


def unnormalize(sample: np.ndarray, stats: dict) -> tuple[np.ndarray, np.ndarray]:
    """``(normalized, actions)`` from a DDIM sample: clip to [-1, 1], the gripper (last dimension)
    → 0 below 0.5 else 1, masked dimensions ``0.5(a + 1)(q99 − q01) + q01``."""
    low, high, mask = _bounds(stats)
    normalized = np.clip(np.asarray(sample, dtype=np.float32), -1, 1)
    normalized[..., -1] = np.where(normalized[..., -1] < 0.5, 0, 1)
    actions = np.where(mask, 0.5 * (normalized + 1) * (high - low) + low, normalized)
    return normalized, actions.astype(np.float32)
