"""tools/bench/weights_dtype.py: the table takes medians per weight type and of the pair ratios."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'bench'))

import weights_dtype  # noqa: E402


def run(total, rss):
    return {stage: total / 2 if stage != 'total' else total for stage in weights_dtype.STAGES}, rss


def test_ratios_are_medians_of_pairs_not_ratios_of_medians():
    pairs = [(run(100, 1000), run(110, 500)), (run(200, 1000), run(180, 520)), (run(100, 1000), run(105, 510))]
    table = weights_dtype.markdown(pairs, 'bf16')
    total = next(line for line in table.splitlines() if line.startswith('| total'))
    # Medians 100 and 110 ms; pair ratios 1.1, 0.9, 1.05 → median 1.05 (the ratio of medians would be 1.1).
    assert total == '| total | 100.0 | 110.0 | 1.050 |'
    assert table.splitlines()[-1] == '| peak RSS | 1000 MB | 510 MB | 0.510 |'
