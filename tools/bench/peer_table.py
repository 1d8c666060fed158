"""The peer table: median milliseconds per stage of every peer in an interleaved run
(tools/bench/torch-peer.sh's rounds.jsonl) and each torch variant's time over vla-node's
(above 1: vla-node is faster). Prints Markdown.

usage: peer_table.py ROUNDS.jsonl [--machine MACHINE.json]
"""
import argparse
import json
import statistics
from pathlib import Path

STAGES = ('vision', 'projector', 'llm', 'action', 'total')
ENGINE = 'vla-node'


def stage_ms(record):
    """Milliseconds per stage of one run, whichever peer wrote it."""
    if record['peer'] == ENGINE:
        return {row['stage']: row['ms'] for row in record['rows']}
    return record['stages_ms']


def medians(records):
    """{peer: {stage: median ms}} over the rounds, peers in first-seen order."""
    runs = {}
    for record in records:
        runs.setdefault(record['peer'], []).append(stage_ms(record))
    return {peer: {stage: statistics.median(run[stage] for run in samples) for stage in STAGES}
            for peer, samples in runs.items()}


def markdown(records, machine=None):
    table = medians(records)
    if ENGINE not in table:
        raise SystemExit(f'peer_table: no {ENGINE} runs in the rounds')
    engine = table[ENGINE]
    others = [peer for peer in table if peer != ENGINE]
    lines = ['| stage | ' + ' | '.join([ENGINE] + others) + ' |', '|---|' + '---|' * (1 + len(others))]
    for stage in STAGES:
        cells = [f'{engine[stage]:.0f} ms'] + [f'{table[p][stage]:.0f} ms ({table[p][stage] / engine[stage]:.2f}×)' for p in others]
        lines.append(f'| {stage} | ' + ' | '.join(cells) + ' |')
    rounds = max(record['round'] for record in records)
    peak = statistics.median(r['sgemm_peak_gflop_per_s'] for r in records if r['peer'] == ENGINE)
    total_gflop = next(row['gflop'] for row in next(r for r in records if r['peer'] == ENGINE)['rows'] if row['stage'] == 'total')
    notes = [f'{rounds} interleaved rounds, median per stage; in brackets torch ÷ vla-node.',
             f'vla-node: {total_gflop:.1f} GFLOP at {total_gflop / engine["total"] * 1e3:.0f} GFLOP/s, '
             f'{100 * total_gflop / engine["total"] * 1e3 / peak:.0f} % of the sgemm peak ({peak:.0f} GFLOP/s) measured in the same runs.']
    if machine:
        notes.append(f"CPU {machine['cpu']}, {machine['threads']} threads, torch {machine['torch']}; "
                     f"load average before {machine['load_before']}, after {machine['load_after']}.")
    return '\n'.join(lines) + '\n\n' + '\n'.join(notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('rounds', type=Path, help='rounds.jsonl of torch-peer.sh')
    parser.add_argument('--machine', type=Path, help='machine.json of torch-peer.sh')
    args = parser.parse_args()
    records = [json.loads(line) for line in args.rounds.read_text().splitlines() if line.strip()]
    machine = json.loads(args.machine.read_text()) if args.machine else None
    print(markdown(records, machine))


if __name__ == '__main__':
    main()
