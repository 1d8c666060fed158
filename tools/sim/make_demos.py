"""Record MetaWorld expert episodes on training seeds as vla-node MCAP bags, one bag per episode.

For each task, seeds are tried in order from --first-seed (a training seed); an episode ends at the
first step the task succeeds. Only successful episodes are written, to OUT/<task>/seed-<seed>.mcap;
a failed seed is skipped and reported, and at most 2 × --episodes seeds are tried per task. The
expert's actions are mapped to CogACT's 7-D convention and the mapped action is what the env
executes, so the bag replays exactly. Prints one JSON line per task (kept seeds, failed seeds,
frames, seconds).

usage: make_demos.py --out DIR [--tasks T …] [--episodes N] [--first-seed S] [--size 224] [--camera corner]
"""
import argparse
import json
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import episode_bag
import tasks
from actions import to_cogact
from render import DEFAULT_CAMERA, DEFAULT_SIZE, Renderer
from rollout import rollout


def record_episode(env, renderer, expert, seed, max_steps):
    """Runs the expert on `seed`; returns (success, frames, 7-D actions, observations), one of each a step."""
    frames, actions, observations = [], [], []

    def act(observation, _step):
        frames.append(renderer.render())
        observations.append(observation)
        actions.append(to_cogact(expert.get_action(observation)))
        return actions[-1]

    with warnings.catch_warnings():
        # The experts' gains exceed 1 on purpose ("Constant(s) may be too high"); to_cogact clips.
        warnings.filterwarnings('ignore', message='Constant')
        success = rollout(env, seed, act, max_steps)
    return success, frames, actions, observations


def episode_metadata(task, seed, steps, renderer, expert):
    """The `vla_sim.episode` record of a kept (successful) training episode."""
    return {'task': task.name, 'env': task.env_name, 'instruction': task.instruction, 'seed': seed,
            'split': 'train', 'success': 'true', 'steps': steps, 'camera': renderer.camera,
            'image_size': renderer.size, 'control_period_s': episode_bag.CONTROL_PERIOD_NS / 1e9,
            'expert': f'metaworld.policies.{type(expert).__name__}', 'metaworld_version': version('metaworld')}


def make_task_demos(task, episodes, first_seed, out, size, camera, max_steps):
    """Records `episodes` successful episodes of `task`; returns the task's summary dict."""
    start = time.monotonic()
    env = tasks.make_env(task)
    renderer = Renderer(env, size, camera)
    expert = tasks.make_expert(task)
    directory = out / task.name
    directory.mkdir(parents=True, exist_ok=True)
    kept, failed, frame_count = [], [], 0
    for seed in tasks.seeds('train', 2 * episodes, first_seed):
        if len(kept) == episodes:
            break
        success, frames, actions, observations = record_episode(env, renderer, expert, seed, max_steps)
        if not success:
            failed.append(seed)
            continue
        episode_bag.write_episode(directory / f'seed-{seed}.mcap', task.instruction, frames, actions,
                                  episode_metadata(task, seed, len(actions), renderer, expert), observations)
        kept.append(seed)
        frame_count += len(frames)
    renderer.close()
    return {'task': task.name, 'kept': len(kept), 'kept_seeds': kept, 'failed_seeds': failed,
            'frames': frame_count, 'seconds': round(time.monotonic() - start, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, required=True, help='output directory (OUT/<task>/seed-<seed>.mcap)')
    parser.add_argument('--tasks', nargs='+', choices=list(tasks.TASKS), default=list(tasks.TASKS),
                        help='tasks to record (default: all)')
    parser.add_argument('--episodes', type=int, default=50, help='successful episodes per task (default 50)')
    parser.add_argument('--first-seed', type=int, default=0, help='offset into the training seeds (default 0)')
    parser.add_argument('--size', type=int, default=DEFAULT_SIZE, help='image width and height (default 224)')
    parser.add_argument('--camera', default=DEFAULT_CAMERA, help='MuJoCo camera name (default corner)')
    parser.add_argument('--max-steps', type=int, default=500, help='step limit per episode (default 500)')
    args = parser.parse_args()
    if args.episodes < 1:
        parser.error('--episodes must be at least 1')
    for name in args.tasks:
        summary = make_task_demos(tasks.TASKS[name], args.episodes, args.first_seed, args.out, args.size,
                                  args.camera, args.max_steps)
        print(json.dumps(summary), flush=True)


if __name__ == '__main__':
    main()
