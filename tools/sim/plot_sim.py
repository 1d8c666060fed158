"""Plots success against inference speed-up for the rows compare_sim.py wrote (--json), with the
95 % Wilson interval of each setting and the blind-replay baseline as a line.

usage: plot_sim.py ROWS.json --blind RATE --out FIGURE.png
"""
import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('rows', type=Path, help='compare_sim.py --json output')
    parser.add_argument('--blind', type=float, required=True, help='blind-replay success rate to draw as a baseline')
    parser.add_argument('--out', type=Path, required=True, help='PNG to write')
    args = parser.parse_args()
    rows = json.loads(args.rows.read_text())
    figure, axes = plt.subplots(figsize=(7, 5), dpi=120)
    for r in rows:  # named in the legend: settings of equal speed would overlap as annotations
        low, high = r['wilson95']
        axes.errorbar(r['speedup'], r['success'], yerr=[[r['success'] - low], [high - r['success']]], fmt='o', capsize=4,
                      label=f"{r['setting']}: {r['success']:.0%} at {r['speedup']:.2f}×")
    axes.axhline(args.blind, color='grey', linestyle='--', label=f'blind replay {args.blind:.0%}')
    axes.set_xlim(0.8, max(r['speedup'] for r in rows) + 0.3)
    axes.set_xlabel('inference speed-up over dense (median latency ratio)')
    axes.set_ylabel(f"closed-loop success ({rows[0]['episodes']} paired episodes)")
    axes.set_ylim(0, 1)
    axes.legend(loc='upper center', bbox_to_anchor=(0.5, -0.13), fontsize=8, ncol=1, frameon=False)
    axes.grid(alpha=0.3)
    figure.savefig(args.out, bbox_inches='tight')


if __name__ == '__main__':
    main()
