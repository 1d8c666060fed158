"""Fast headless rendering of a MetaWorld env: square RGB frames, upright, for the camera topic.

No multisampling, shadows, reflections or skybox (10× faster on a software renderer); the default
size 224 is the node's model image size. MuJoCo returns these cameras' images upside down, so
frames are flipped vertically.

usage: render.py TASK --seed S [--size 224] [--camera corner] -o FRAME.ppm   (the layout of seed S)
"""
import argparse
from pathlib import Path

import tasks  # first: selects the headless GL backend before mujoco loads

import mujoco  # noqa: E402  (after tasks)
import numpy as np  # noqa: E402

DEFAULT_SIZE = 224
DEFAULT_CAMERA = 'corner'
_FLAGS_OFF = (mujoco.mjtRndFlag.mjRND_SHADOW, mujoco.mjtRndFlag.mjRND_REFLECTION, mujoco.mjtRndFlag.mjRND_SKYBOX)


class Renderer:
    """Renders one camera of `env` as size × size × 3 uint8 RGB. Reuse it across resets (it costs ~1 s)."""

    def __init__(self, env, size=DEFAULT_SIZE, camera=DEFAULT_CAMERA):
        env.model.vis.quality.offsamples = 0
        self._env = env
        self._renderer = mujoco.Renderer(env.model, size, size)
        for flag in _FLAGS_OFF:
            self._renderer.scene.flags[flag] = 0
        self.camera = camera
        self.size = size

    def render_raw(self):
        """The camera's image as MuJoCo returns it (upside down)."""
        self._renderer.update_scene(self._env.data, camera=self.camera)
        return self._renderer.render()

    def render(self):
        """The camera's image, upright."""
        return np.ascontiguousarray(self.render_raw()[::-1])

    def close(self):
        self._renderer.close()


def write_ppm(path, frame):
    """Writes an H × W × 3 uint8 frame as binary PPM (P6)."""
    height, width, _ = frame.shape
    Path(path).write_bytes(f'P6\n{width} {height}\n255\n'.encode() + frame.tobytes())


def main():
    parser = argparse.ArgumentParser(description='Render the first frame of a task layout to a PPM file.')
    parser.add_argument('task', choices=sorted(tasks.TASKS))
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--size', type=int, default=DEFAULT_SIZE, help='image width and height (default 224)')
    parser.add_argument('--camera', default=DEFAULT_CAMERA, help='MuJoCo camera name (default corner)')
    parser.add_argument('-o', '--output', required=True, help='PPM file to write')
    args = parser.parse_args()
    env = tasks.make_env(tasks.TASKS[args.task])
    tasks.reset(env, args.seed)
    renderer = Renderer(env, args.size, args.camera)
    write_ppm(args.output, renderer.render())
    renderer.close()


if __name__ == '__main__':
    main()
