"""Paths and helpers of the tools/train tests (run: python -m pytest tools/train/tests)."""
import sys
from pathlib import Path

import numpy as np
import torch

TRAIN = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAIN))
REPO = TRAIN.parent.parent
TINY = REPO / "Tests" / "Fixtures" / "cogact-tiny"

torch.set_num_threads(2)


def relative_l2(found, expected) -> float:
    """‖found − expected‖₂ / ‖expected‖₂ over all elements (float64)."""
    found, expected = np.asarray(found, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert found.shape == expected.shape, (found.shape, expected.shape)
    return float(np.linalg.norm(found - expected) / np.linalg.norm(expected))
