"""Random-shift image augmentation for training (DrQ-style): pad by replicating the border, then
crop back to the original size at a random offset, independently for every frame of a batch.
A shift of a few pixels keeps the relative layout of hand, object and goal, which is what the
actions depend on, while breaking the link between an action and absolute pixel positions."""
from __future__ import annotations

import numpy as np
import torch


def random_shift(frames: list[np.ndarray], pad: int, generator: torch.Generator) -> list[np.ndarray]:
    """Each ``[S, S, 3]`` uint8 frame shifted by up to ``pad`` pixels on each axis (offsets from ``generator``)."""
    if pad <= 0:
        return frames
    offsets = torch.randint(0, 2 * pad + 1, (len(frames), 2), generator=generator).tolist()
    shifted = []
    for frame, (dy, dx) in zip(frames, offsets):
        padded = np.pad(frame, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
        shifted.append(np.ascontiguousarray(padded[dy:dy + frame.shape[0], dx:dx + frame.shape[1]]))
    return shifted
