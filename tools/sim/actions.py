"""MetaWorld's 4-D actions ⇄ CogACT's 7-D convention.

MetaWorld: [dx, dy, dz, effort], xyz in [-1, 1] (the hand target moves ≤ 1 cm per step per axis),
effort > 0 closes the gripper. CogACT: [x, y, z, roll, pitch, yaw, gripper] with gripper 1 = open and
0 = closed. MetaWorld has no rotation control, so the rotation columns are 0.
"""
import numpy as np

DIMENSION_NAMES = ('x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper')


def to_cogact(action):
    """The 7-D CogACT action (float32) of a MetaWorld action: xyz clipped to [-1, 1], zero rotation,
    gripper 1 (open) when effort ≤ 0, else 0 (closed)."""
    action = np.asarray(action, dtype=np.float64)
    if action.shape != (4,):
        raise ValueError(f'a MetaWorld action has 4 values, got shape {action.shape}')
    gripper = 1.0 if action[3] <= 0 else 0.0
    return np.array([*np.clip(action[:3], -1, 1), 0, 0, 0, gripper], dtype=np.float32)


def to_metaworld(action):
    """The MetaWorld action of a 7-D CogACT action: xyz clipped to [-1, 1], rotation ignored,
    effort -1 (open) when gripper ≥ 0.5, else +1 (close)."""
    action = np.asarray(action, dtype=np.float64)
    if action.shape != (7,):
        raise ValueError(f'a CogACT action has 7 values, got shape {action.shape}')
    effort = -1.0 if action[6] >= 0.5 else 1.0
    return np.array([*np.clip(action[:3], -1, 1), effort], dtype=np.float64)
