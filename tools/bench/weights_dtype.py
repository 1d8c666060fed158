"""Runs `vla-node bench --json` with F32 and with 16-bit weights in turn (F32, BF16, F32, BF16, …),
one process per run, and prints a Markdown table: median milliseconds per stage for each weight
type, the median of the per-pair time ratios, and the peak RSS of each.

usage: weights_dtype.py --binary .build/release/vla-node [--preset small] [--pairs 5] [--dtype bf16]
"""
import argparse
import json
import statistics
import subprocess

STAGES = ('vision', 'projector', 'llm', 'action', 'total')


def bench(binary, preset, dtype, runs):
    """{stage: ms} and the peak RSS in MB of one `vla-node bench --json` process."""
    command = [binary, 'bench', '--preset', preset, '--weights-dtype', dtype, '--runs', str(runs), '--json']
    table = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    rows = {row['stage']: row for row in table['rows']}
    return {stage: rows[stage]['ms'] for stage in STAGES}, rows['total']['rss_mb']


def markdown(pairs, dtype):
    """The table over `pairs` = [((f32 ms, f32 rss), (other ms, other rss)), …]."""
    lines = [f'| stage | f32 ms | {dtype} ms | {dtype} / f32 (median of pairs) |', '|---|---|---|---|']
    for stage in STAGES:
        f32 = statistics.median(a[0][stage] for a, _ in pairs)
        other = statistics.median(b[0][stage] for _, b in pairs)
        ratio = statistics.median(b[0][stage] / a[0][stage] for a, b in pairs)
        lines.append(f'| {stage} | {f32:.1f} | {other:.1f} | {ratio:.3f} |')
    rss = (statistics.median(a[1] for a, _ in pairs), statistics.median(b[1] for _, b in pairs))
    lines.append(f'| peak RSS | {rss[0]:.0f} MB | {rss[1]:.0f} MB | {rss[1] / rss[0]:.3f} |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--binary', required=True, help='the vla-node executable (a release build)')
    parser.add_argument('--preset', default='small')
    parser.add_argument('--dtype', default='bf16', choices=('bf16', 'f16'), help='the 16-bit type compared with f32')
    parser.add_argument('--pairs', type=int, default=5, help='F32/16-bit process pairs')
    parser.add_argument('--runs', type=int, default=3, help='timed forwards per process (median)')
    arguments = parser.parse_args()
    if arguments.pairs < 1 or arguments.runs < 1:
        parser.error('--pairs and --runs must be at least 1')
    pairs = [(bench(arguments.binary, arguments.preset, 'f32', arguments.runs),
              bench(arguments.binary, arguments.preset, arguments.dtype, arguments.runs)) for _ in range(arguments.pairs)]
    print(markdown(pairs, arguments.dtype))


if __name__ == '__main__':
    main()
