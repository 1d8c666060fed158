"""Closed-loop evaluation through the node: N held-out episodes per task, success with 95 % Wilson
intervals, the blind-replay baseline on the same seeds, episode length, the node's inference
latency (from its latency topic) and wall time.

Each of `--jobs` workers starts its own `vla-node run --launch FILE` (on its own ports) and a sim
bridge (bridge.py), and runs every `--jobs`-th episode; a worker done with its share replays the
blind demos. Episode k of every task uses evaluation seed 100000 + `--seed` + k (`--split
validation`: 200000 + `--seed` + k, the layouts on which settings are chosen). In lock-step mode the node's DDIM noise is seeded with the frame stamp
(bridge.frame_stamp), so two settings evaluated with the same seeds see the same layouts and the
same initial noise: compare them with compare_sim.py (McNemar on the pairs).

usage: eval_sim.py --launch FILE [--episodes 20] [--seed 0] [--split eval] [--tasks T …] [--json OUT]
                   [--mode lock-step] [--execute 4] [--max-steps 200] [--jobs N] [--camera-hz 20] [--video OUT.gif]
                   [--override key.path=value …]
"""
import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import tasks
from blind_replay import blind_successes
from bridge import MODES, Bridge
from episode_bag import CONTROL_PERIOD_NS, read_episode
from node_link import NodeLink
from node_process import NodeProcess, default_binary, free_port_pair
from rollout_video import write_video
from wilson import wilson_interval

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_TASKS = ('reach', 'button-press-topdown', 'lever-pull', 'window-open', 'plate-slide')
BLIND_DEMOS = REPOSITORY / 'demo' / 'metaworld' / 'blind'
BASE_PORT = 5600
CONTROL_HZ = round(1e9 / CONTROL_PERIOD_NS)  # MetaWorld's 80 Hz
REAL_TIME_SLACK = 1.1  # a real-time run whose median sim step exceeds the period by more did not keep real time


def run_share(job):
    """A worker: one node and one bridge; runs `job['episodes']` [(task, seed, keep_frames)]."""
    node = NodeProcess(job['binary'], job['launch'], free_port_pair(BASE_PORT + 100 * job['index']), job['overrides'])
    link = NodeLink(node.inputs, node.outputs)
    bridge = Bridge(link, job['size'], check=node.check, camera_every=job['camera_every'])
    results, videos = [], {}
    try:
        for name, seed, keep in job['episodes']:
            node.check()
            episode = bridge.run(tasks.TASKS[name], seed, job['mode'], job['execute'], job['max_steps'], keep)
            results.append(episode.summary())
            if keep:
                videos[name] = (episode.frames, episode.actions, episode.success)
    finally:
        bridge.close()
        link.close()
        node.stop()
    return {'episodes': results, 'latencies': link.latencies[1:], 'videos': videos}  # the first one warms up


def blind_demo_bags(task):
    """The shipped demos of `task` (demo/metaworld/blind/<task>/*.mcap, training seeds 0–4)."""
    bags = sorted((BLIND_DEMOS / task).glob('*.mcap'))
    if not bags:
        raise FileNotFoundError(f'no blind-replay demos in {BLIND_DEMOS / task}')
    return bags


def blind_baseline(task, seeds, max_steps):
    """Per shipped demo of the task and per seed, whether replaying the demo open loop succeeds:
    the pooled baseline of every demo on every seed."""
    return [success for bag in blind_demo_bags(task)
            for success in blind_successes(tasks.TASKS[task], read_episode(bag)[1], seeds, max_steps)]


def reused_blind(path, arguments, seeds):
    """The blind entries of an earlier result with the same tasks, seeds and step limit (--blind-from)."""
    earlier = json.loads(path.read_text())
    if (earlier['eval_seeds'] != [seeds.start, seeds.stop - 1] or earlier['max_steps'] != arguments.max_steps
            or not set(arguments.tasks) <= set(earlier['tasks'])):
        raise SystemExit(f'eval_sim: {path} was evaluated on other seeds, tasks or step limit; drop --blind-from')
    return {task: earlier['tasks'][task]['blind'] for task in arguments.tasks}


def rate_entry(outcomes):
    low, high = wilson_interval(sum(outcomes), len(outcomes))
    return {'successes': int(sum(outcomes)), 'episodes': len(outcomes), 'rate': sum(outcomes) / len(outcomes),
            'wilson95': [round(low, 4), round(high, 4)]}


def percentiles(values):
    if not values:
        return None
    return {'p50': round(float(np.percentile(values, 50)), 3), 'p95': round(float(np.percentile(values, 95)), 3),
            'count': len(values)}


def jump_summary(jumps):
    """Mean, p95 and max of action jumps (max |Δxyz| between consecutive steps); None without any."""
    if not jumps:
        return None
    return {'mean': round(float(np.mean(jumps)), 5), 'p95': round(float(np.percentile(jumps, 95)), 5),
            'max': round(float(np.max(jumps)), 5), 'count': len(jumps)}


def summarise(arguments, seeds, shares, wall, blind):
    episodes = sorted((e for share in shares for e in share['episodes']), key=lambda e: (e['task'], e['seed']))
    latencies = [pair for share in shares for pair in share['latencies']]
    table = {}
    for task in arguments.tasks:
        mine = [e for e in episodes if e['task'] == task]
        table[task] = dict(rate_entry([e['success'] for e in mine]), blind=blind[task],
                           mean_steps=round(statistics.mean(e['steps'] for e in mine), 1))
    overall = rate_entry([e['success'] for e in episodes])
    step_ms = percentiles([e['step_ms'] for e in episodes])
    real_time = arguments.mode == 'real-time'
    return {
        'launch': str(arguments.launch), 'overrides': arguments.override, 'mode': arguments.mode,
        'execute': arguments.execute, 'max_steps': arguments.max_steps, 'split': arguments.split,
        'eval_seeds': [seeds.start, seeds.stop - 1], 'overall_success': overall['rate'],
        'overall_wilson95': overall['wilson95'], 'episodes': len(episodes), 'tasks': table,
        'blind_overall_success': statistics.mean(table[t]['blind']['rate'] for t in table),
        'inference_ms': percentiles([entry['inference_ms'] for entry in latencies]),
        'end_to_end_ms': percentiles([entry['end_to_end_ms'] for entry in latencies]),
        'gflop_per_inference': round(statistics.mean(entry['gflops'] for entry in latencies), 4) if latencies else None,
        'visual_tokens_reused_share': round(statistics.mean(entry['visual_tokens_reused'] / max(entry['visual_tokens'], 1)
                                                            for entry in latencies), 4) if latencies else None,
        'full_refresh_share': round(statistics.mean(entry['full_refresh'] for entry in latencies), 4) if latencies else None,
        'boundary_jump': jump_summary([jump for e in episodes for jump in e.get('boundary_jumps', [])]),
        'step_jump': jump_summary([jump for e in episodes for jump in e.get('step_jumps', [])]),
        'jobs': arguments.jobs, 'camera_hz': arguments.camera_hz if real_time else None, 'sim_step_ms': step_ms,
        'kept_real_time': step_ms['p50'] <= REAL_TIME_SLACK * CONTROL_PERIOD_NS / 1e6 if real_time else None,
        'wall_s': round(wall, 1), 'per_episode': episodes,
    }


def print_table(result):
    print(f"{'task':<22} {'success':>9} {'95 % Wilson':>13} {'blind':>7} {'steps':>6}")
    for task, row in result['tasks'].items():
        print(f"{task:<22} {row['successes']:>4}/{row['episodes']:<4} {row['wilson95'][0]:>6.0%}–{row['wilson95'][1]:<6.0%}"
              f" {row['blind']['rate']:>6.0%} {row['mean_steps']:>6}")
    low, high = result['overall_wilson95']
    print(f"{'overall':<22} {result['overall_success']:>9.1%} {low:>6.0%}–{high:<6.0%} {result['blind_overall_success']:>6.0%}")
    latency = result['inference_ms'] or {}
    print(f"inference p50 {latency.get('p50')} ms, p95 {latency.get('p95')} ms; {result['gflop_per_inference']} GFLOP; "
          f"visual tokens reused {result['visual_tokens_reused_share']}, full refreshes {result['full_refresh_share']}; "
          f"wall {result['wall_s']} s")
    if result['kept_real_time'] is False:
        print(f"warning: the sim ran at {result['sim_step_ms']['p50']} ms per step, slower than the "
              f"{CONTROL_PERIOD_NS / 1e6} ms control period, so rows of delta actions were skipped: this is not a "
              f"real-time result; use fewer --jobs or a lower --camera-hz", file=sys.stderr)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--launch', type=Path, default=REPOSITORY / 'launch' / 'sim.yaml', help='node launch file')
    parser.add_argument('--episodes', type=int, default=20, help='episodes per task (default 20)')
    parser.add_argument('--seed', type=int, default=0, help='offset into the split\'s seeds (default 0)')
    parser.add_argument('--split', choices=('eval', 'validation'), default='eval',
                        help='held-out layouts: eval reports results, validation chooses settings (default eval)')
    parser.add_argument('--tasks', nargs='+', choices=sorted(tasks.TASKS), default=list(DEFAULT_TASKS))
    parser.add_argument('--json', type=Path, help='write the result here')
    parser.add_argument('--mode', choices=MODES, default='lock-step')
    parser.add_argument('--execute', type=int, default=4, help='lock-step: actions executed per chunk (default 4)')
    parser.add_argument('--max-steps', type=int, default=200, help='step limit per episode (default 200)')
    parser.add_argument('--jobs', type=int, help='node + bridge pairs run in parallel (default 2 in lock-step; 1 in real '
                        'time, where the node computes back to back and the sim needs a core of its own)')
    parser.add_argument('--camera-hz', type=int, default=20,
                        help=f'real time: frames per second the camera publishes, a divisor of {CONTROL_HZ} (default 20)')
    parser.add_argument('--size', type=int, default=112, help='rendered image size (default 112)')
    parser.add_argument('--binary', type=Path, default=default_binary(REPOSITORY), help='vla-node executable')
    parser.add_argument('--video', type=Path, help='GIF of the first episode of each task, instruction and action overlaid')
    parser.add_argument('--override', action='append', default=[], help='launch-file override key.path=value')
    parser.add_argument('--blind-from', type=Path, help='take the blind-replay baseline from this earlier result JSON')
    arguments = parser.parse_args(argv)
    if arguments.jobs is None:
        arguments.jobs = 1 if arguments.mode == 'real-time' else 2
    if arguments.episodes < 1 or arguments.jobs < 1 or arguments.execute < 1:
        parser.error('--episodes, --jobs and --execute must be at least 1')
    if arguments.camera_hz < 1 or CONTROL_HZ % arguments.camera_hz:
        parser.error(f'--camera-hz must divide the {CONTROL_HZ} Hz control rate (e.g. 80, 40, 20, 10)')
    return arguments


def main(argv=None):
    arguments = parse(argv)
    if not arguments.binary.exists():
        sys.exit(f'eval_sim: {arguments.binary} does not exist; build it with `swift build -c release`')
    seeds = tasks.seeds(arguments.split, arguments.episodes, arguments.seed)
    work = [(task, seed, arguments.video is not None and index == 0)
            for index, seed in enumerate(seeds) for task in arguments.tasks]
    # Real time: the node's ticks must be the sim's steps (80 Hz); the user's overrides come after.
    rate = [f'node.control.rate_hz={1e9 / CONTROL_PERIOD_NS:g}'] if arguments.mode == 'real-time' else []
    jobs = [{'index': j, 'binary': str(arguments.binary), 'launch': str(arguments.launch),
             'overrides': rate + arguments.override, 'mode': arguments.mode, 'execute': arguments.execute,
             'max_steps': arguments.max_steps, 'size': arguments.size, 'camera_every': CONTROL_HZ // arguments.camera_hz,
             'episodes': work[j::arguments.jobs]}
            for j in range(arguments.jobs)]
    blind = reused_blind(arguments.blind_from, arguments, seeds) if arguments.blind_from else None
    if blind is None:
        for task in arguments.tasks:
            blind_demo_bags(task)  # fail before the episodes run, not after
    start = time.monotonic()
    with multiprocessing.get_context('spawn').Pool(arguments.jobs) as pool:
        # The episodes go first; a worker that finishes its share replays the blind demos meanwhile.
        pending = pool.map_async(run_share, jobs)
        if blind is None:
            outcomes = pool.starmap(blind_baseline, [(task, seeds, arguments.max_steps) for task in arguments.tasks])
            blind = {task: rate_entry(outcome) for task, outcome in zip(arguments.tasks, outcomes)}
        shares = pending.get()
    result = summarise(arguments, seeds, shares, time.monotonic() - start, blind)
    print_table(result)
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(result, indent=2) + '\n')
    if arguments.video:
        videos = {name: video for share in shares for name, video in share['videos'].items()}
        write_video(arguments.video, [(tasks.TASKS[name].instruction, *videos[name]) for name in arguments.tasks if name in videos])


if __name__ == '__main__':
    main()
