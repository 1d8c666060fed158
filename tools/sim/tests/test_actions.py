"""MetaWorld ⇄ CogACT action mapping."""
import numpy as np
import pytest

from actions import DIMENSION_NAMES, to_cogact, to_metaworld


@pytest.mark.parametrize('effort, gripper', [(-1.0, 1.0), (-0.2, 1.0), (0.0, 1.0), (0.01, 0.0), (0.6, 0.0), (1.0, 0.0)])
def test_effort_at_most_zero_is_open(effort, gripper):
    assert to_cogact([0.1, 0.2, 0.3, effort])[6] == gripper


def test_xyz_clipped_and_rotation_zero():
    action = to_cogact([2.5, -3.0, 0.25, 1.0])
    assert action.dtype == np.float32
    np.testing.assert_array_equal(action, np.array([1, -1, 0.25, 0, 0, 0, 0], dtype=np.float32))
    assert DIMENSION_NAMES == ('x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper')


def test_back_to_metaworld_ignores_rotation_and_binarises_the_gripper():
    np.testing.assert_array_equal(to_metaworld([0.5, -2, 0, 0.3, 0.3, 0.3, 1]), [0.5, -1, 0, -1])
    np.testing.assert_array_equal(to_metaworld([0, 0, 3, 0, 0, 0, 0]), [0, 0, 1, 1])
    np.testing.assert_array_equal(to_metaworld([0, 0, 0, 0, 0, 0, 0.49]), [0, 0, 0, 1])


@pytest.mark.parametrize('effort', [-0.7, 0.0, 0.4])
def test_round_trip_keeps_the_gripper_side(effort):
    assert np.sign(to_metaworld(to_cogact([0, 0, 0, effort]))[3]) == (-1 if effort <= 0 else 1)


def test_wrong_sizes_are_refused():
    with pytest.raises(ValueError):
        to_cogact([0, 0, 0])
    with pytest.raises(ValueError):
        to_metaworld([0, 0, 0, 1])
