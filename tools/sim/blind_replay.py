"""The blind-replay baseline: one recorded demo's actions replayed open loop on evaluation seeds.

For each demo bag, the task's env is reset to --episodes evaluation seeds (from --first-seed into
the evaluation range) and the bag's actions are executed step by step without looking at the
scene; after the last one the hand holds still (zero motion, the last gripper command) until
--max-steps steps, the horizon a closed-loop policy gets too. An episode succeeds if the task
succeeds at any step. A task that succeeds this way does not need perception. Prints per-bag success with a 95 % Wilson
interval (a table, or JSON with --json).

usage: blind_replay.py BAG [BAG …] [--episodes 20] [--first-seed 0] [--max-steps 500] [--json]
"""
import argparse
import json
from pathlib import Path

import numpy as np

import episode_bag
import tasks
from rollout import rollout
from wilson import wilson_interval


def blind_successes(task, actions, seeds, max_steps):
    """Per seed, whether replaying `actions` open loop, then holding still, on that layout of `task`
    succeeds within `max_steps` steps."""
    hold = np.concatenate([np.zeros(6, dtype=np.float32), actions[-1, 6:]])

    def act(_observation, step):
        return actions[step] if step < len(actions) else hold

    env = tasks.make_env(task)
    return [rollout(env, seed, act, max_steps) for seed in seeds]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('bags', nargs='+', type=Path, help='episode bags written by make_demos.py')
    parser.add_argument('--episodes', type=int, default=20, help='evaluation episodes per bag (default 20)')
    parser.add_argument('--first-seed', type=int, default=0, help='offset into the evaluation seeds (default 0)')
    parser.add_argument('--max-steps', type=int, default=500, help='steps per episode (default 500, MetaWorld\'s limit)')
    parser.add_argument('--json', action='store_true', help='print a JSON list instead of a table')
    args = parser.parse_args()
    if args.episodes < 1:
        parser.error('--episodes must be at least 1')
    seeds = tasks.seeds('eval', args.episodes, args.first_seed)
    results = []
    for bag in args.bags:
        metadata, actions = episode_bag.read_episode(bag)
        outcomes = blind_successes(tasks.TASKS[metadata['task']], actions, seeds, args.max_steps)
        low, high = wilson_interval(sum(outcomes), len(outcomes))
        results.append({'task': metadata['task'], 'demo_seed': int(metadata['seed']), 'demo_steps': len(actions),
                        'eval_seeds': [seeds.start, seeds.stop - 1], 'max_steps': args.max_steps, 'successes': sum(outcomes),
                        'episodes': len(outcomes), 'rate': sum(outcomes) / len(outcomes),
                        'wilson95': [round(low, 4), round(high, 4)]})
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'task':<22} {'demo seed':>9} {'successes':>10} {'rate':>6}  95 % Wilson")
    for row in results:
        print(f"{row['task']:<22} {row['demo_seed']:>9} {row['successes']:>5}/{row['episodes']:<4} "
              f"{row['rate']:>6.0%}  {row['wilson95'][0]:.0%}–{row['wilson95'][1]:.0%}")


if __name__ == '__main__':
    main()
