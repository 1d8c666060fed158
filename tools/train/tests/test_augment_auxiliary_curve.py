"""Random-shift augmentation and the auxiliary state targets."""
import numpy as np
import pytest
import torch

from augment import random_shift
from auxiliary import STATE_INDICES, StateHead, standardisation, state_targets


def test_a_shift_is_a_crop_of_the_edge_padded_frame():
    frame = np.arange(6 * 6 * 3, dtype=np.uint8).reshape(6, 6, 3)
    generator = torch.Generator().manual_seed(4)
    offsets = torch.randint(0, 5, (3, 2), generator=torch.Generator().manual_seed(4)).tolist()
    shifted = random_shift([frame] * 3, 2, generator)
    padded = np.pad(frame, ((2, 2), (2, 2), (0, 0)), mode="edge")
    for image, (dy, dx) in zip(shifted, offsets):
        assert image.shape == frame.shape and image.dtype == np.uint8
        assert np.array_equal(image, padded[dy:dy + 6, dx:dx + 6])
    assert random_shift([frame], 0, generator)[0] is frame


def test_a_shift_by_two_moves_the_content_by_two():
    frame = np.zeros((8, 8, 3), dtype=np.uint8)
    frame[4, 4] = 255
    found = set()
    generator = torch.Generator().manual_seed(0)
    for image in random_shift([frame] * 200, 2, generator):
        (y,), (x,) = np.nonzero(image[..., 0])
        found.add((y - 4, x - 4))
    assert found == {(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)}  # every offset, none larger


def test_state_targets_are_hand_object_and_goal_positions():
    observations = np.arange(2 * 39, dtype=np.float32).reshape(2, 39)
    targets = state_targets(observations)
    assert STATE_INDICES == [0, 1, 2, 4, 5, 6, 36, 37, 38]
    assert targets[1].tolist() == [39, 40, 41, 43, 44, 45, 75, 76, 77]
    with pytest.raises(ValueError, match="39"):
        state_targets(np.zeros((3, 18), dtype=np.float32))


def test_standardisation_gives_zero_mean_unit_variance_and_keeps_constants_finite():
    targets = [np.array([[1.0, 5.0], [3.0, 5.0]], dtype=np.float32), np.array([[5.0, 5.0]], dtype=np.float32)]
    mean, std = standardisation(targets)
    assert mean.tolist() == pytest.approx([3.0, 5.0])
    assert std.tolist() == pytest.approx([np.std([1, 3, 5]), 1.0])


def test_the_state_head_is_a_linear_regression_of_the_cognition():
    torch.manual_seed(0)
    head = StateHead(hidden=4)
    cognition = torch.randn(5, 4)
    with torch.no_grad():
        expected = ((cognition @ head.linear.weight.T + head.linear.bias) - torch.ones(5, 9)).pow(2).mean()
    assert head.loss(cognition, torch.ones(5, 9)).item() == pytest.approx(expected.item(), rel=1e-6)


def test_the_curve_smoothing_is_a_trailing_mean():
    from plot_curve import smoothed
    assert smoothed(np.array([1.0, 3.0, 5.0, 7.0]), 2).tolist() == [1.0, 2.0, 4.0, 6.0]
