"""The sim bridge: MetaWorld episodes driven by a running vla-node over ZeroMQ.

Each step the bridge renders the camera, publishes the frame on `/camera/image_raw` (with the
task's instruction on `/instruction`) and applies an action of the node's `/vla/action_chunk`
to the env. The node runs unchanged from a launch file whose camera and instruction topics
connect to `--inputs-bind` and whose outputs are bound at `--outputs`.

Modes:
  lock-step  the sim waits: the frame of step k is stamped with sim time (see `frame_stamp`), the
             bridge waits for the chunk computed from it and executes its first `--execute` rows
             (rows 0.. apply from the frame's step on), then renders the next frame and re-plans.
             Deterministic: the node seeds its DDIM noise with the frame stamp, so the same
             episode gets the same noise under every setting (paired A/B comparisons).
  real-time  the sim advances one step every `period_s` of wall time (default the control period,
             12.5 ms, 80 Hz; set the node's rate_hz to match) whether or not the node keeps up. The
             camera publishes every `camera_every`-th step's frame (default every 4th: 20 Hz, a
             camera slower than the control loop, as on a robot), stamped with the wall clock. Each
             step applies row `current_index` of the newest chunk, advanced by the ticks elapsed
             since that chunk's own tick stamp; the node's launch-file chunk policy (chunking or
             ensemble) decides what the rows are. The clock starts once the node has answered the
             episode's first frame (a robot does not move before its policy is up). The rows are
             deltas, so a sim that cannot keep the period skips motion: `Episode.step_ms` says
             how fast it really ran. Where consecutive steps take their action from different
             inferences (a chunk boundary) the bridge records the jump max |Δ| over x, y, z
             (`Episode.boundary_jumps`; MetaWorld has no rotation and the gripper is binary).
Every episode starts with a reset on `/vla/reset`, so no chunk of the episode before carries over.

usage: bridge.py --inputs-bind ADDR --outputs ADDR --task T [--seeds S …] [--mode lock-step]
                 [--execute 4] [--max-steps 200] [--camera-every 4]   (prints one JSON line per episode)
"""
import argparse
import json
import time
from dataclasses import dataclass, field

import numpy as np

import tasks
from actions import to_metaworld
from episode_bag import CONTROL_PERIOD_NS
from node_link import NodeLink
from render import DEFAULT_CAMERA, Renderer

MODES = ('lock-step', 'real-time')
SEED_STRIDE_NS = 10_000_000_000  # 10 s of sim time per seed: 800 steps, more than any episode


def frame_stamp(seed, step):
    """The lock-step stamp of step `step` of the episode on `seed`: sim time, unique per (seed, step),
    the same in every run, so equal frames get equal DDIM noise."""
    return seed * SEED_STRIDE_NS + step * CONTROL_PERIOD_NS


@dataclass
class Episode:
    """The outcome of one episode and, when asked for, its frames with the action applied after each."""
    task: str
    seed: int
    success: bool
    steps: int
    inferences: int
    wall_s: float
    keep_frames: bool = False
    stepping_s: float = 0.0  # wall time from the first step on (real time: after the handshake)
    frames: list = field(default_factory=list, repr=False)
    actions: list = field(default_factory=list, repr=False)
    boundary_jumps: list = field(default_factory=list)  # real time: max |Δxyz| where the inference changed
    step_jumps: list = field(default_factory=list)  # real time: max |Δxyz| between steps of one inference

    @property
    def step_ms(self):
        """Wall time per sim step (real time: the period the sim actually kept)."""
        return 1000 * self.stepping_s / max(1, self.steps)

    def summary(self):
        return {'task': self.task, 'seed': self.seed, 'success': self.success, 'steps': self.steps,
                'inferences': self.inferences, 'wall_s': round(self.wall_s, 3), 'step_ms': round(self.step_ms, 2),
                'boundary_jumps': [round(jump, 5) for jump in self.boundary_jumps],
                'step_jumps': [round(jump, 5) for jump in self.step_jumps]}


class Bridge:
    """One env and renderer per task, reused across seeds, and the link to the node."""

    def __init__(self, link, size, camera=DEFAULT_CAMERA, check=None, period_s=CONTROL_PERIOD_NS / 1e9, camera_every=4):
        """`check` is called while waiting for the node (NodeProcess.check raises if it exited);
        `period_s` is the wall time of one real-time step, `camera_every` the steps per real-time frame."""
        if camera_every < 1:
            raise ValueError('camera_every must be at least 1')
        self.link, self.size, self.camera, self.check, self.period_s = link, size, camera, check, period_s
        self.camera_every = camera_every
        self._envs = {}

    def _env(self, task):
        if task.name not in self._envs:
            env = tasks.make_env(task)
            self._envs[task.name] = (env, Renderer(env, self.size, self.camera))
        return self._envs[task.name]

    def close(self):
        for _, renderer in self._envs.values():
            renderer.close()

    def run(self, task, seed, mode, execute, max_steps, keep_frames=False):
        """One episode of `task` on `seed`; ends at the first success or after `max_steps` steps.
        With `keep_frames` the episode keeps every step's frame and applied action (for a video)."""
        env, renderer = self._env(task)
        tasks.reset(env, seed)
        self.link.reset_episode()
        self.link.set_instruction(task.instruction)
        episode = Episode(task=task.name, seed=seed, success=False, steps=0, inferences=0, wall_s=0.0,
                          keep_frames=keep_frames)
        start = time.monotonic()
        if mode == 'lock-step':
            self._lock_step(env, renderer, episode, execute, max_steps)
            stepping_from = start
        else:
            stepping_from = self._real_time(env, renderer, episode, max_steps)
        end = time.monotonic()
        episode.wall_s, episode.stepping_s = end - start, end - stepping_from
        return episode

    def _apply(self, env, episode, frame, action):
        """Steps the env with a 7-D action; returns whether the task succeeded."""
        if episode.keep_frames:
            episode.frames.append(frame)
            episode.actions.append(np.asarray(action, dtype=np.float32))
        _, _, _, _, info = env.step(to_metaworld(action))
        episode.steps += 1
        episode.success = bool(info['success'])
        return episode.success

    def _lock_step(self, env, renderer, episode, execute, max_steps):
        while episode.steps < max_steps:
            frame = renderer.render()
            chunk = self.link.chunk_for(frame, frame_stamp(episode.seed, episode.steps), check=self.check)
            episode.inferences += 1
            for index, row in enumerate(chunk.actions[:execute]):
                shown = frame if index == 0 or not episode.keep_frames else renderer.render()
                if self._apply(env, episode, shown, row) or episode.steps >= max_steps:
                    return

    def _real_time(self, env, renderer, episode, max_steps):
        """Runs the episode in real time; returns when (monotonic clock) its first step began."""
        chunk = self.link.chunk_for(renderer.render(), time.time_ns(), check=self.check)
        sequence, previous = None, None
        clock = next_tick = time.monotonic()
        while episode.steps < max_steps:
            if episode.steps % self.camera_every == 0:
                frame = renderer.render()
                self.link.send_frame(frame, time.time_ns())
            chunk = self.link.newest_chunk(chunk)
            boundary = chunk.inference_sequence != sequence
            if boundary:
                sequence = chunk.inference_sequence
                episode.inferences += 1
            elapsed = round((time.time_ns() - chunk.tick_stamp_ns) / 1e9 / self.period_s)
            action = chunk.actions[min(len(chunk.actions) - 1, chunk.current_index + max(0, elapsed))]
            if previous is not None:
                jump = float(np.max(np.abs(action[:3] - previous[:3])))
                (episode.boundary_jumps if boundary else episode.step_jumps).append(jump)
            previous = action
            if self._apply(env, episode, frame, action):
                break
            next_tick += self.period_s
            time.sleep(max(0.0, next_tick - time.monotonic()))
        return clock

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--inputs-bind', required=True, help='address the node\'s camera and instruction topics connect to')
    parser.add_argument('--outputs', required=True, help='address of the node\'s action-chunk and latency topics')
    parser.add_argument('--task', choices=sorted(tasks.TASKS), required=True)
    parser.add_argument('--seeds', type=int, nargs='+', default=[tasks.EVAL_SEEDS.start], help='episode seeds')
    parser.add_argument('--mode', choices=MODES, default='lock-step')
    parser.add_argument('--execute', type=int, default=4, help='lock-step: rows executed per chunk (default 4)')
    parser.add_argument('--max-steps', type=int, default=200, help='step limit per episode (default 200)')
    parser.add_argument('--size', type=int, default=112, help='rendered image size (default 112, the model\'s)')
    parser.add_argument('--camera-every', type=int, default=4, help='real time: steps per published frame (default 4, 20 Hz)')
    args = parser.parse_args()
    if args.execute < 1 or args.camera_every < 1:
        parser.error('--execute and --camera-every must be at least 1')
    link = NodeLink(args.inputs_bind, args.outputs)
    bridge = Bridge(link, args.size, camera_every=args.camera_every)
    try:
        for seed in args.seeds:
            print(json.dumps(bridge.run(tasks.TASKS[args.task], seed, args.mode, args.execute, args.max_steps).summary()),
                  flush=True)
    finally:
        bridge.close()
        link.close()


if __name__ == '__main__':
    main()
