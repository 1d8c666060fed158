"""CogACT's DiT action head (``action_model.net``): in-context conditioning with one prefix
token ``t_emb(t) + z_emb(c)`` before the embedded noisy actions, learned positions, pre-LN
blocks (LayerNorm without affine, tanh-GELU MLP), then LN → Linear to ε.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from vision import Mlp, SelfAttention

TIMESTEP_FREQUENCIES = 256  # width of the sinusoid fed to the timestep MLP
LAYER_NORM_EPS = 1e-6


def timestep_sinusoid(t: torch.Tensor, dimension: int = TIMESTEP_FREQUENCIES, max_period: float = 10000.0) -> torch.Tensor:
    """``[cos(t·f_k), sin(t·f_k)]`` with ``f_k = exp(−ln(max_period)·k/half)``, cos first; ``[B, dimension]``."""
    half = dimension // 2
    frequencies = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    angles = t.to(torch.float32)[:, None] * frequencies[None, :]
    return torch.cat([angles.cos(), angles.sin()], dim=-1)


class ActionEmbedder(nn.Module):
    """``linear`` from action to hidden width (the ``x_embedder``)."""

    def __init__(self, action_dim: int, hidden: int):
        super().__init__()
        self.linear = nn.Linear(action_dim, hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


class TimestepEmbedder(nn.Module):
    """``mlp = Linear(256→H), SiLU, Linear(H→H)`` over the timestep sinusoid."""

    def __init__(self, hidden: int):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(TIMESTEP_FREQUENCIES, hidden), nn.SiLU(), nn.Linear(hidden, hidden))

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return self.mlp(timestep_sinusoid(t))


class ConditionEmbedder(nn.Module):
    """Projects the cognition feature; ``uncondition`` is the learned null condition (in the LLM
    feature space) that replaces the condition where ``drop`` is true (CFG training and sampling)."""

    def __init__(self, condition_width: int, hidden: int):
        super().__init__()
        self.uncondition = nn.Parameter(torch.zeros(1, condition_width))
        self.linear = nn.Linear(condition_width, hidden)

    def forward(self, cognition: torch.Tensor, drop: torch.Tensor | None = None) -> torch.Tensor:
        """``[B, C]`` cognition (and optional ``[B]`` bool drop mask) → ``[B, H]``."""
        if drop is not None:
            cognition = torch.where(drop[:, None], self.uncondition, cognition)
        return self.linear(cognition)


class DiTBlock(nn.Module):
    """``x += attn(LN x); x += mlp(LN x)``, LayerNorm without affine."""

    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.attn = SelfAttention(hidden, heads)
        self.mlp = Mlp(hidden, 4 * hidden, approximate="tanh")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(F.layer_norm(x, x.shape[-1:], eps=LAYER_NORM_EPS))
        return x + self.mlp(F.layer_norm(x, x.shape[-1:], eps=LAYER_NORM_EPS))


class FinalLayer(nn.Module):
    """LN (no affine) → ``linear`` to the action width."""

    def __init__(self, hidden: int, action_dim: int):
        super().__init__()
        self.linear = nn.Linear(hidden, action_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(F.layer_norm(x, x.shape[-1:], eps=LAYER_NORM_EPS))


class DiT(nn.Module):
    """ε-prediction network over ``[B, horizon, action_dim]`` noisy actions."""

    def __init__(self, action: dict, condition_width: int):
        super().__init__()
        hidden = action["hidden"]
        self.x_embedder = ActionEmbedder(action["action_dim"], hidden)
        self.t_embedder = TimestepEmbedder(hidden)
        self.z_embedder = ConditionEmbedder(condition_width, hidden)
        self.positional_embedding = nn.Parameter(torch.zeros(action["horizon"] + 1, hidden))
        self.blocks = nn.ModuleList(DiTBlock(hidden, action["heads"]) for _ in range(action["depth"]))
        self.final_layer = FinalLayer(hidden, action["action_dim"])

    def forward(self, x: torch.Tensor, t: torch.Tensor, cognition: torch.Tensor,
                drop: torch.Tensor | None = None) -> torch.Tensor:
        """ε ``[B, horizon, action_dim]`` for noisy actions ``x``, original timesteps ``t`` ``[B]``
        and cognition ``[B, C]``; ``drop`` selects rows conditioned on the null embedding."""
        condition = self.t_embedder(t) + self.z_embedder(cognition, drop)
        tokens = torch.cat([condition[:, None, :], self.x_embedder(x)], dim=1) + self.positional_embedding
        for block in self.blocks:
            tokens = block(tokens)
        return self.final_layer(tokens)[:, 1:]


class ActionModel(nn.Module):
    """Holder giving CogACT's ``action_model.net.`` prefix."""

    def __init__(self, action: dict, condition_width: int):
        super().__init__()
        self.net = DiT(action, condition_width)
