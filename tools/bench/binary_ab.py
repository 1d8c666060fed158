"""Before/after of an engine change: runs `vla-node bench --json` of two builds in turn (A, B, A,
B, …), one process per run, same arguments, and prints a Markdown table: median milliseconds
and % of the sgemm peak per stage for each build, and the median of the per-pair B/A ratios.

usage: binary_ab.py --a OLD/vla-node --b NEW/vla-node [--pairs 3] -- --preset small --runs 2
"""
import argparse
import sys

from bench_json import pair_table, run_bench


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    own, bench_arguments = (argv[:argv.index('--')], argv[argv.index('--') + 1:]) if '--' in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--a', required=True, help='the "before" vla-node executable (a release build)')
    parser.add_argument('--b', required=True, help='the "after" vla-node executable')
    parser.add_argument('--labels', nargs=2, default=('before', 'after'), help='column names of A and B')
    parser.add_argument('--pairs', type=int, default=3, help='A/B process pairs')
    arguments = parser.parse_args(own)
    if arguments.pairs < 1:
        parser.error('--pairs must be at least 1')
    if '--json' not in bench_arguments:
        bench_arguments = [*bench_arguments, '--json']
    pairs = [(run_bench([arguments.a, 'bench', *bench_arguments]), run_bench([arguments.b, 'bench', *bench_arguments]))
             for _ in range(arguments.pairs)]
    print(pair_table(pairs, tuple(arguments.labels)))


if __name__ == '__main__':
    main()
