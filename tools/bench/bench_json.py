"""Shared by the A/B bench tools: one `vla-node bench --json` process, and the Markdown table of
alternating pairs (medians per side, the median of the per-pair ratios, which holds while the
machine's speed drifts)."""
import json
import statistics
import subprocess

STAGES = ('vision', 'projector', 'llm', 'action', 'total')


def run_bench(command):
    """({stage: ms}, {stage: % of peak}, peak RSS MB) of one `vla-node bench … --json` process."""
    table = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    rows = {row['stage']: row for row in table['rows']}
    return ({stage: rows[stage]['ms'] for stage in STAGES}, {stage: rows[stage]['pct_of_peak'] for stage in STAGES},
            rows['total']['rss_mb'])


def pair_table(pairs, labels):
    """The table over `pairs` = [(a, b), …] of `run_bench` results; `labels` names a and b."""
    a_name, b_name = labels
    lines = [f'| stage | {a_name} ms | {b_name} ms | {b_name} / {a_name} (median of pairs) '
             f'| {a_name} % of peak | {b_name} % of peak |', '|---|---|---|---|---|---|']
    for stage in STAGES:
        a = statistics.median(x[0][stage] for x, _ in pairs)
        b = statistics.median(y[0][stage] for _, y in pairs)
        ratio = statistics.median(y[0][stage] / x[0][stage] for x, y in pairs)
        a_peak = statistics.median(x[1][stage] for x, _ in pairs)
        b_peak = statistics.median(y[1][stage] for _, y in pairs)
        lines.append(f'| {stage} | {a:.1f} | {b:.1f} | {ratio:.3f} | {a_peak:.1f} | {b_peak:.1f} |')
    rss = (statistics.median(x[2] for x, _ in pairs), statistics.median(y[2] for _, y in pairs))
    lines.append(f'| peak RSS | {rss[0]:.0f} MB | {rss[1]:.0f} MB | {rss[1] / rss[0]:.3f} | | |')
    return '\n'.join(lines)
