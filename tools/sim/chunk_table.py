"""Compares chunk policies from real-time eval_sim.py results: success with its 95 % Wilson interval and
McNemar's p against the first result, and the jumps of the applied action (max |Δxyz| between consecutive
sim steps, in MetaWorld action units: 1 = 1 cm of hand motion per step) where the action's inference
changed (chunk boundaries) and between steps of one inference. Prints a Markdown table.

usage: chunk_table.py CHUNKING.json OTHER.json … --names chunking ensemble …
"""
import argparse
import json
from pathlib import Path

from mcnemar import mcnemar_exact, paired_counts


def outcomes(result):
    return {(e['task'], e['seed']): e['success'] for e in result['per_episode']}


def row(name, result, baseline):
    _, only_base, only_this, _ = paired_counts(outcomes(baseline), outcomes(result))
    boundary, within = result['boundary_jump'] or {}, result['step_jump'] or {}
    return {'policy': name, 'success': result['overall_success'], 'wilson95': result['overall_wilson95'],
            'lost_gained': [only_base, only_this], 'mcnemar_p': mcnemar_exact(only_base, only_this),
            'boundary_mean': boundary.get('mean'), 'boundary_p95': boundary.get('p95'), 'boundary_max': boundary.get('max'),
            'boundaries': boundary.get('count'), 'within_mean': within.get('mean'),
            'inference_p50_ms': result['inference_ms']['p50'], 'kept_real_time': result['kept_real_time'],
            'episodes': result['episodes']}


def markdown(rows):
    lines = ['| chunk policy | success (95 % Wilson) | lost / gained vs first | McNemar p | boundary jump mean / p95 / max '
             '| boundaries | jump within a chunk, mean | inference p50 | kept real time |',
             '|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f"| {r['policy']} | {r['success']:.1%} ({r['wilson95'][0]:.0%}–{r['wilson95'][1]:.0%}) | "
                     f"{r['lost_gained'][0]} / {r['lost_gained'][1]} | {r['mcnemar_p']:.2f} | "
                     f"{r['boundary_mean']:.4f} / {r['boundary_p95']:.4f} / {r['boundary_max']:.4f} | {r['boundaries']} | "
                     f"{r['within_mean']:.4f} | {r['inference_p50_ms']:.1f} ms | {r['kept_real_time']} |")
    return '\n'.join(lines) + f"\n\n{rows[0]['episodes']} paired episodes per policy."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('results', nargs='+', type=Path, help='eval_sim.py --mode real-time JSON files, the first is the baseline')
    parser.add_argument('--names', nargs='+', required=True, help='one name per result')
    parser.add_argument('--json', type=Path, help='also write the rows here')
    arguments = parser.parse_args()
    if len(arguments.names) != len(arguments.results):
        parser.error('give one --names entry per result')
    results = [json.loads(path.read_text()) for path in arguments.results]
    rows = [row(name, result, results[0]) for name, result in zip(arguments.names, results)]
    print(markdown(rows))
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=1))


if __name__ == '__main__':
    main()
