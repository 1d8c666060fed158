"""CogACT's diffusion training loss: ε-prediction MSE at uniformly drawn timesteps of the
training schedule (squaredcos_cap_v2, ``diffusion_steps``), on ``[B, horizon, action_dim]``
chunks of normalised actions, with the condition replaced by the learned null embedding with
probability ``condition_dropout`` (CogACT's ``class_dropout_prob = 0.1``) so that the same
network serves classifier-free guidance.
"""
from __future__ import annotations

import torch
from torch.nn import functional as F

from ddim import alphas_cumprod, q_sample

CONDITION_DROPOUT = 0.1


class DiffusionLoss:
    """``loss(dit, actions, cognition)``; draws timesteps, noise and the drop mask from ``generator``."""

    def __init__(self, diffusion_steps: int, condition_dropout: float = CONDITION_DROPOUT):
        self.table = alphas_cumprod(diffusion_steps)
        self.condition_dropout = condition_dropout

    def __call__(self, dit: torch.nn.Module, actions: torch.Tensor, cognition: torch.Tensor,
                 generator: torch.Generator | None = None) -> torch.Tensor:
        """Mean squared error between ε and ``dit(x_t, t, cognition)`` for normalised ``actions``
        ``[B, horizon, action_dim]`` and cognition features ``[B, hidden]``."""
        batch = actions.shape[0]
        t = torch.randint(0, len(self.table), (batch,), generator=generator)
        noise = torch.randn(actions.shape, generator=generator)
        drop = torch.rand(batch, generator=generator) < self.condition_dropout
        predicted = dit(q_sample(actions, t, noise, self.table), t, cognition, drop)
        return F.mse_loss(predicted, noise)
