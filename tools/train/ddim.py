"""The squaredcos_cap_v2 diffusion schedule, forward noising, and CogACT's deterministic DDIM
sampler (η = 0, no x₀ clipping) with classifier-free guidance.

Schedule tables are float64 (as the reference's NumPy tables); each step's coefficients are
cast to float32 before they touch the sample, like ``_extract_into_tensor(...).float()``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch


def alphas_cumprod(diffusion_steps: int) -> torch.Tensor:
    """ᾱ_t (float64, ``[T]``) from ``β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999)``,
    ``ᾱ(s) = cos²((s + 0.008)/1.008 · π/2)``."""
    def alpha_bar(s: float) -> float:
        return math.cos((s + 0.008) / 1.008 * math.pi / 2) ** 2
    betas = torch.tensor([min(1 - alpha_bar((i + 1) / diffusion_steps) / alpha_bar(i / diffusion_steps), 0.999)
                          for i in range(diffusion_steps)], dtype=torch.float64)
    return torch.cumprod(1 - betas, dim=0)


def spaced_timesteps(diffusion_steps: int, count: int) -> list[int]:
    """The kept timesteps of ``space_timesteps(T, "ddimN")``, ascending: the first integer stride
    whose ``range(0, T, stride)`` has ``count`` elements; ``count == 1`` gives ``[T // 2]``."""
    if count == 1:
        return [diffusion_steps // 2]
    for stride in range(1, diffusion_steps):
        if len(range(0, diffusion_steps, stride)) == count:
            return list(range(0, diffusion_steps, stride))
    raise ValueError(f"no uniform stride gives {count} DDIM steps over {diffusion_steps}")


def q_sample(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """``x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε`` for a ``[B]`` batch of timesteps."""
    alpha_bar = table[t].to(torch.float32).view(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise


@dataclass(frozen=True)
class DDIMStep:
    """One sampling step: the original timestep fed to the DiT, ᾱ there and at the next kept step."""

    timestep: int
    alpha_bar: float
    alpha_bar_previous: float


def ddim_steps(diffusion_steps: int, count: int) -> list[DDIMStep]:
    """The sampling steps in execution order (noisiest first); ᾱ_prev is 1 after the last."""
    table = alphas_cumprod(diffusion_steps).tolist()
    kept = spaced_timesteps(diffusion_steps, count)
    return [DDIMStep(kept[i], table[kept[i]], table[kept[i - 1]] if i > 0 else 1.0) for i in reversed(range(len(kept)))]


@dataclass
class DDIMSample:
    """Guided ε and the sample after every step, ``[steps, horizon, action_dim]`` each."""

    timesteps: list[int]
    eps: torch.Tensor
    samples: torch.Tensor


def ddim_sample(noise: torch.Tensor, steps: list[DDIMStep], cfg_scale: float,
                predict: Callable[[torch.Tensor, int, bool], torch.Tensor]) -> DDIMSample:
    """Samples from ``x_T = noise`` (``[horizon, action_dim]``). ``predict(x, t, guided)`` returns
    ε ``[2, …]`` for the batch ``[cond; uncond]`` when guided (``cfg_scale > 1``), else ``[1, …]``."""
    guided = cfg_scale > 1
    x, eps_history, sample_history = noise.to(torch.float32), [], []
    for step in steps:
        raw = predict(x, step.timestep, guided)
        eps = raw[1] + cfg_scale * (raw[0] - raw[1]) if guided else raw[0]
        recip = torch.tensor(math.sqrt(1 / step.alpha_bar), dtype=torch.float32)
        recip_minus_one = torch.tensor(math.sqrt(1 / step.alpha_bar - 1), dtype=torch.float32)
        previous = torch.tensor(step.alpha_bar_previous, dtype=torch.float32)
        start = recip * x - recip_minus_one * eps
        rederived = (recip * x - start) / recip_minus_one
        x = start * previous.sqrt() + (1 - previous).sqrt() * rederived
        eps_history.append(eps)
        sample_history.append(x)
    return DDIMSample([s.timestep for s in steps], torch.stack(eps_history), torch.stack(sample_history))
