"""Combine the overload runs into one Markdown table.

Each run is NAME=PREFIX: PREFIX.json (overload_publisher.py output), PREFIX.log (the node's log, with
its `final stats:` line) and PREFIX.rss (peak RSS in KiB, VmHWM). Expected ticks are the points of
the control grid the node lived through (ticks run + ticks skipped by overruns).
"""
import argparse
import json
import re
from pathlib import Path


def final_stats(log):
    """Fields of the node's `final stats:` line."""
    line = next((l for l in reversed(log.splitlines()) if 'final stats:' in l), '')
    number = r'([0-9.]+)'
    def find(pattern):
        match = re.search(pattern, line)
        return float(match.group(1)) if match else None
    return {
        'jitter_p99': find(r'jitter_ms n=\d+ p50=[0-9.]+ p95=[0-9.]+ p99=' + number),
        'infer_p50': find(r'infer_ms n=\d+ p50=' + number),
        'frames_rx': find(r'frames rx=' + number),
        'ticks': find(r'ticks=' + number), 'published': find(r'published=' + number),
        'overruns': find(r'overruns=' + number), 'recorder_drops': find(r'recorder_drops=' + number),
    }


def cell(value, digits=0):
    """A number with `digits` decimals, or – when the run did not report it."""
    return '–' if value is None else f'{value:.{digits}f}'



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', help='NAME=PREFIX')
    args = parser.parse_args()
    print('| run | frames sent / received | frame age p50 / p95 ms | inference p50 ms | tick jitter p99 ms '
          '| chunks published / expected ticks | misses after 1st chunk | overrun ticks | recorder drops | peak RSS MiB |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for run in args.runs:
        name, prefix = run.split('=', 1)
        published = json.loads(Path(prefix + '.json').read_text())
        stats = final_stats(Path(prefix + '.log').read_text())
        rss = float(Path(prefix + '.rss').read_text()) / 1024
        expected = (stats['ticks'] or 0) + (stats['overruns'] or 0)
        print(f"| {name} | {published['frames_sent']} / {cell(stats['frames_rx'])} "
              f"| {cell(published['frame_age_ms_p50'], 1)} / {cell(published['frame_age_ms_p95'], 1)} "
              f"| {cell(published['inference_ms_p50'], 1)} | {cell(stats['jitter_p99'], 2)} "
              f"| {cell(stats['published'])} / {int(expected)} | {cell(published['misses_after_first_chunk'])} "
              f"| {cell(stats['overruns'])} "
              f"| {cell(stats['recorder_drops'])} | {rss:.0f} |")


if __name__ == '__main__':
    main()
