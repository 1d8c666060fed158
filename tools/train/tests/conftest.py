"""Paths and helpers of the tools/train tests (run: python -m pytest tools/train/tests)."""
import sys
from pathlib import Path

import numpy as np
import torch

TRAIN = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAIN))
sys.path.insert(0, str(TRAIN.parent / "convert"))  # cogact_layout: the engine's tensor table
REPO = TRAIN.parent.parent
BINARY = REPO / ".build" / "debug" / "vla-node"
DEMO_BAGS = REPO / "demo" / "sim"
TINY = REPO / "Tests" / "Fixtures" / "cogact-tiny"

torch.set_num_threads(2)


def relative_l2(found, expected) -> float:
    """‖found − expected‖₂ / ‖expected‖₂ over all elements (float64)."""
    found, expected = np.asarray(found, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert found.shape == expected.shape, (found.shape, expected.shape)
    return float(np.linalg.norm(found - expected) / np.linalg.norm(expected))


def write_ppm(path, image):
    """A binary PPM (P6) of an [H, W, 3] uint8 image, the frame format of `vla-node predict --image`."""
    with open(path, "wb") as stream:
        stream.write(b"P6\n%d %d\n255\n" % (image.shape[1], image.shape[0]))
        stream.write(image.tobytes())


# A small model unlike the fixture (other widths, grouped kv heads, 2 SigLIP heads).
SMALL_CONFIG = {
    "architecture": "cogact",
    "vision": {
        "image_size": 224, "patch_size": 14,
        "dino": {"width": 48, "depth": 3, "heads": 4, "mlp_dim": 160, "register_tokens": 4, "feature_layer": 1,
                 "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "layer_norm_eps": 1e-6},
        "siglip": {"width": 40, "depth": 3, "heads": 2, "mlp_dim": 150, "feature_layer": 1,
                   "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "layer_norm_eps": 1e-6},
    },
    "llm": {"hidden": 64, "layers": 2, "heads": 4, "kv_heads": 2, "intermediate": 176, "vocab": 512,
            "rms_norm_eps": 1e-5, "rope_theta": 10000.0},
    "action": {"hidden": 32, "depth": 2, "heads": 2, "action_dim": 7, "horizon": 16, "diffusion_steps": 100,
               "noise_schedule": "squaredcos_cap_v2", "ddim_steps": 10, "cfg_scale": 1.5},
    "prompt": "In: What action should the robot take to {instruction}?\nOut:",
}
