"""A training-only auxiliary head: the simulator state of the frame, predicted from the cognition feature.

The policy has no proprioception and must find the hand, the object and the goal in the image.
Regressing their positions from the cognition feature (a linear map) gives the towers and the
LLaMA a dense, direct signal about where things are, which the diffusion loss alone delivers
slowly. The head is not part of CogACT: it lives beside the model, and the exported model
directory does not contain it.

Targets come from MetaWorld's 39-D observation (tools/sim/episode_bag.py, ``/sim/observation``):
hand xyz (0–2), first object xyz (4–6) and goal xyz (36–38), standardised by their mean and
standard deviation over the training frames.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

STATE_INDICES = [0, 1, 2, 4, 5, 6, 36, 37, 38]  # hand xyz, object xyz, goal xyz


def state_targets(observations: np.ndarray) -> np.ndarray:
    """The ``[steps, 9]`` float32 positions the head predicts, from ``[steps, 39]`` observations."""
    if observations.ndim != 2 or observations.shape[1] <= max(STATE_INDICES):
        raise ValueError(f"expected [steps, 39] MetaWorld observations, got {list(observations.shape)}")
    return observations[:, STATE_INDICES].astype(np.float32)


def standardisation(targets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) over every frame of every episode; a constant column gets std 1."""
    every = np.concatenate(targets).astype(np.float64)
    std = every.std(axis=0)
    return every.mean(axis=0).astype(np.float32), np.where(std > 1e-8, std, 1.0).astype(np.float32)


class StateHead(nn.Module):
    """Linear map from the cognition feature to the standardised state; ``loss`` is its MSE."""

    def __init__(self, hidden: int):
        super().__init__()
        self.linear = nn.Linear(hidden, len(STATE_INDICES))

    def loss(self, cognition: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(self.linear(cognition), targets)
