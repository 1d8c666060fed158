"""tools/bench/bench_json.py (used by weights_dtype.py and binary_ab.py): the table takes medians
per side and of the pair ratios."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'bench'))

import bench_json  # noqa: E402
import binary_ab  # noqa: E402


def run(total, rss, peak=50.0):
    times = {stage: total / 2 if stage != 'total' else total for stage in bench_json.STAGES}
    return times, {stage: peak for stage in bench_json.STAGES}, rss


def test_ratios_are_medians_of_pairs_not_ratios_of_medians():
    pairs = [(run(100, 1000), run(110, 500, 60)), (run(200, 1000), run(180, 520, 70)), (run(100, 1000), run(105, 510, 65))]
    table = bench_json.pair_table(pairs, ('f32', 'bf16'))
    total = next(line for line in table.splitlines() if line.startswith('| total'))
    # Medians 100 and 110 ms; pair ratios 1.1, 0.9, 1.05 → median 1.05 (the ratio of medians would be 1.1).
    assert total == '| total | 100.0 | 110.0 | 1.050 | 50.0 | 65.0 |'
    assert table.splitlines()[-1] == '| peak RSS | 1000 MB | 510 MB | 0.510 | | |'


def test_binary_ab_alternates_the_builds_and_passes_the_bench_arguments(monkeypatch, capsys):
    calls = []

    def fake(command):
        calls.append(command)
        return run(100 if command[0] == 'old' else 80, 1000)
    monkeypatch.setattr(binary_ab, 'run_bench', fake)
    binary_ab.main(['--a', 'old', '--b', 'new', '--pairs', '2', '--', '--preset', 'small'])
    assert [c[0] for c in calls] == ['old', 'new', 'old', 'new']
    assert calls[0] == ['old', 'bench', '--preset', 'small', '--json']
    assert '| total | 100.0 | 80.0 | 0.800 |' in capsys.readouterr().out
