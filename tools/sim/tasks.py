"""The MetaWorld tasks of the demonstrations, their instructions, env construction and the seed rule.

Every task here needs perception: replaying one recorded demo blind succeeds on at most 45 % of
fresh layouts (tools/sim/README.md). Seeds: training episodes use 0–9999, evaluation episodes
100000–199999, validation episodes 200000–299999. The ranges are disjoint, so no evaluation layout
is ever trained on, and settings (an acceleration's operating point) are chosen on validation
layouts, never on the evaluation layouts that report them. A seed fixes the episode's object and
goal positions (`env.seed(seed)` before every reset).

usage: tasks.py [--json]   (lists the tasks, their instructions and the seed ranges)
"""
import os

# mujoco picks its GL backend when it is first imported (metaworld imports it): headless EGL.
os.environ.setdefault('MUJOCO_GL', 'egl')

import argparse  # noqa: E402
import json  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from metaworld.env_dict import ALL_V3_ENVIRONMENTS_GOAL_OBSERVABLE  # noqa: E402
from metaworld.policies import ENV_POLICY_MAP  # noqa: E402

TRAIN_SEEDS = range(0, 10_000)
EVAL_SEEDS = range(100_000, 200_000)
VALIDATION_SEEDS = range(200_000, 300_000)
SPLITS = {'train': TRAIN_SEEDS, 'eval': EVAL_SEEDS, 'validation': VALIDATION_SEEDS}


@dataclass(frozen=True)
class Task:
    """A MetaWorld v3 task (`name` without the version) and its natural-language instruction."""
    name: str
    instruction: str

    @property
    def env_name(self):
        return f'{self.name}-v3'


TASKS = {task.name: task for task in (
    Task('reach', 'reach the red ball'),
    Task('push', 'push the puck to the green ball'),
    Task('door-open', 'open the door'),
    Task('window-open', 'open the window'),
    Task('lever-pull', 'pull the lever up'),
    Task('button-press-topdown', 'press the button down'),
    Task('plate-slide', 'slide the puck into the net'),
)}


def make_env(task):
    """The goal-observable env of `task`, drawing new object and goal positions at every seeded reset."""
    env = ALL_V3_ENVIRONMENTS_GOAL_OBSERVABLE[f'{task.env_name}-goal-observable']()
    env._freeze_rand_vec = False
    env.seeded_rand_vec = True
    return env


def reset(env, seed):
    """Resets `env` to the layout of `seed`; returns the first observation."""
    env.seed(seed)
    observation, _ = env.reset()
    return observation


def make_expert(task):
    """MetaWorld's scripted expert policy for `task` (`get_action(observation)` → 4-D action)."""
    return ENV_POLICY_MAP[task.env_name]()


def seeds(split, count, offset=0):
    """`count` consecutive seeds of `split` ('train', 'eval' or 'validation') starting `offset` seeds into it."""
    pool = SPLITS[split]
    if offset < 0 or count < 0 or offset + count > len(pool):
        raise ValueError(f'{split} has {len(pool)} seeds; {count} from offset {offset} do not fit')
    return pool[offset:offset + count]


def main():
    parser = argparse.ArgumentParser(description='List the demonstration tasks, instructions and seed ranges.')
    parser.add_argument('--json', action='store_true', help='print JSON instead of a table')
    args = parser.parse_args()
    listing = {
        'tasks': [{'task': task.name, 'env': task.env_name, 'instruction': task.instruction} for task in TASKS.values()],
        'train_seeds': [TRAIN_SEEDS.start, TRAIN_SEEDS.stop - 1],
        'eval_seeds': [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1],
        'validation_seeds': [VALIDATION_SEEDS.start, VALIDATION_SEEDS.stop - 1],
    }
    if args.json:
        print(json.dumps(listing, indent=2))
        return
    for entry in listing['tasks']:
        print(f"{entry['task']:<22} {entry['instruction']}")
    print(f'training seeds {TRAIN_SEEDS.start}–{TRAIN_SEEDS.stop - 1}, evaluation seeds {EVAL_SEEDS.start}–{EVAL_SEEDS.stop - 1}, '
          f'validation seeds {VALIDATION_SEEDS.start}–{VALIDATION_SEEDS.stop - 1}')


if __name__ == '__main__':
    main()
