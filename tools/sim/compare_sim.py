"""Compares eval_sim.py results on paired episodes: each setting against the first (the baseline),
with success, its change, the discordant pairs, McNemar's exact p-value, the inference speed-up
(ratio of median inference times from the node's latency topic) and the share of the baseline's
GFLOP per inference (the node's analytic count). Prints a Markdown table (the BENCHMARKS.md one).

usage: compare_sim.py DENSE.json OTHER.json … [--names dense combined …]
"""
import argparse
import json
from pathlib import Path

from mcnemar import mcnemar_exact, paired_counts


def outcomes(result):
    return {(e['task'], e['seed']): e['success'] for e in result['per_episode']}


def row(name, result, baseline):
    both, only_base, only_this, _ = paired_counts(outcomes(baseline), outcomes(result))
    low, high = result['overall_wilson95']
    speedup = baseline['inference_ms']['p50'] / result['inference_ms']['p50']
    return {'setting': name, 'success': result['overall_success'], 'wilson95': [low, high],
            'delta': result['overall_success'] - baseline['overall_success'], 'only_baseline': only_base,
            'only_setting': only_this, 'mcnemar_p': mcnemar_exact(only_base, only_this), 'speedup': speedup,
            'inference_p50_ms': result['inference_ms']['p50'], 'episodes': result['episodes'],
            'flops_share': result['gflop_per_inference'] / baseline['gflop_per_inference']}


def markdown(rows, tasks):
    lines = ['| setting | success (95 % Wilson) | Δ vs dense | lost / gained pairs | McNemar p | inference p50 | speed-up | FLOPs |',
             '|---|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f"| {r['setting']} | {r['success']:.1%} ({r['wilson95'][0]:.0%}–{r['wilson95'][1]:.0%}) | "
                     f"{r['delta']:+.1%} | {r['only_baseline']} / {r['only_setting']} | {r['mcnemar_p']:.2f} | "
                     f"{r['inference_p50_ms']:.1f} ms | {r['speedup']:.2f}× | {r['flops_share']:.1%} |")
    return '\n'.join(lines) + f"\n\n{rows[0]['episodes']} paired episodes ({', '.join(tasks)})."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('results', nargs='+', type=Path, help='eval_sim.py --json files; the first is the baseline')
    parser.add_argument('--names', nargs='+', help='a name per result (default: the file stems)')
    parser.add_argument('--json', type=Path, help='also write the rows as JSON')
    args = parser.parse_args()
    names = args.names or [path.stem for path in args.results]
    if len(names) != len(args.results):
        parser.error(f'{len(args.results)} results but {len(names)} names')
    results = [json.loads(path.read_text()) for path in args.results]
    rows = [row(name, result, results[0]) for name, result in zip(names, results)]
    print(markdown(rows, list(results[0]['tasks'])))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + '\n')


if __name__ == '__main__':
    main()
