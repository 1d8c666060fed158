"""Runs `vla-node bench --json` with F32 and with 16-bit weights in turn (F32, BF16, F32, BF16, …),
one process per run, and prints a Markdown table: median milliseconds per stage for each weight
type, the median of the per-pair time ratios, the % of the sgemm peak, and the peak RSS of each.

usage: weights_dtype.py --binary .build/release/vla-node [--preset small] [--pairs 5] [--dtype bf16]
"""
import argparse

from bench_json import pair_table, run_bench


def bench(binary, preset, dtype, runs):
    """One bench process of `binary` with weights stored as `dtype`."""
    return run_bench([binary, 'bench', '--preset', preset, '--weights-dtype', dtype, '--runs', str(runs), '--json'])


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
    print(pair_table(pairs, ('f32', arguments.dtype)))


if __name__ == '__main__':
    main()
