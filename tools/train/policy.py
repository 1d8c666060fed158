"""Inference with the torch modules, mirroring the engine's ``predict`` step for step:
normalise the 224×224 frame for each tower, vision → projector → LLaMA cognition, DDIM with
CFG over the batch ``[cond; uncond]`` (the learned null embedding), then un-normalise.

The Pillow-bicubic resize of other frame sizes is out of scope: the image is already
``image_size × image_size``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from cogact_model import CogACT
from ddim import ddim_sample, ddim_steps
from normalization import unnormalize


@dataclass
class Prediction:
    """Every output of one prediction (numpy, float32)."""

    projected: np.ndarray        # [patches, hidden]
    llm_states: list[np.ndarray]  # input embeddings, each layer's output, final norm; [L, hidden] each
    cognition: np.ndarray        # [hidden]
    timesteps: list[int]
    eps: np.ndarray              # [steps, horizon, action_dim] guided ε
    samples: np.ndarray          # [steps, horizon, action_dim]; the last is the final sample
    normalized_actions: np.ndarray | None
    actions: np.ndarray | None


def pixel_values(image_u8: np.ndarray, mean: list[float], std: list[float]) -> torch.Tensor:
    """``[1, 3, S, S]`` float32 ``(pixel/255 − mean)/std`` of an ``[S, S, 3]`` uint8 RGB image."""
    pixels = torch.from_numpy(np.ascontiguousarray(image_u8)).to(torch.float32).div(255).permute(2, 0, 1)
    mean_t, std_t = torch.tensor(mean, dtype=torch.float32), torch.tensor(std, dtype=torch.float32)
    return ((pixels - mean_t[:, None, None]) / std_t[:, None, None])[None]


@torch.no_grad()
def predict(model: CogACT, image_u8: np.ndarray, input_ids: list[int], noise: np.ndarray,
            statistics: dict | None = None) -> Prediction:
    """Runs the whole policy on one frame. ``input_ids`` are BOS + prompt + cognition suffix ids,
    ``noise`` is x_T ``[horizon, action_dim]``; ``statistics`` (one dataset's ``"action"`` entry)
    adds the clipped and un-normalised actions."""
    config = model.config
    vision, action = config["vision"], config["action"]
    size = vision["image_size"]
    if image_u8.shape != (size, size, 3) or image_u8.dtype != np.uint8:
        raise ValueError(f"image must be uint8 [{size}, {size}, 3], got {image_u8.dtype} {list(image_u8.shape)}")
    dino = pixel_values(image_u8, vision["dino"]["mean"], vision["dino"]["std"])
    siglip = pixel_values(image_u8, vision["siglip"]["mean"], vision["siglip"]["std"])
    projected = model.encode_image(dino, siglip)
    states = model.llm_states(projected, torch.tensor([input_ids], dtype=torch.long))
    cognition = states[-1][:, -1]

    dit = model.dit
    def predict_eps(x: torch.Tensor, t: int, guided: bool) -> torch.Tensor:
        batch = 2 if guided else 1
        drop = torch.tensor([False, True][:batch])
        return dit(x.expand(batch, -1, -1), torch.full((batch,), t), cognition.expand(batch, -1), drop)

    steps = ddim_steps(action["diffusion_steps"], action["ddim_steps"])
    result = ddim_sample(torch.from_numpy(np.asarray(noise, dtype=np.float32)), steps, action["cfg_scale"], predict_eps)
    final = result.samples[-1].numpy()
    normalized, actions = unnormalize(final, statistics) if statistics is not None else (None, None)
    return Prediction(projected=projected[0].numpy(), llm_states=[s[0].numpy() for s in states],
                      cognition=cognition[0].numpy(), timesteps=result.timesteps, eps=result.eps.numpy(),
                      samples=result.samples.numpy(), normalized_actions=normalized, actions=actions)
