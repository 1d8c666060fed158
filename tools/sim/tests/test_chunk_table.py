"""chunk_table.py rows from real-time eval results: pairs against the first policy, boundary jumps."""
from chunk_table import markdown, row


def result(successes, boundary, within=None):
    episodes = [{'task': 'reach', 'seed': 100000 + k, 'success': s} for k, s in enumerate(successes)]
    return {'per_episode': episodes, 'overall_success': sum(successes) / len(successes), 'overall_wilson95': [0.2, 0.8],
            'boundary_jump': boundary, 'step_jump': within or {'mean': 0.01}, 'inference_ms': {'p50': 12.5},
            'kept_real_time': True, 'episodes': len(successes)}


def test_rows_pair_against_the_first_policy_and_report_the_jumps():
    chunking = result([True, True, False, False], {'mean': 0.2, 'p95': 0.5, 'max': 0.9, 'count': 40})
    smooth = result([True, False, True, True], {'mean': 0.05, 'p95': 0.1, 'max': 0.3, 'count': 44})
    found = row('rtc', smooth, chunking)
    assert found['lost_gained'] == [1, 2]
    assert (found['boundary_mean'], found['boundary_max'], found['boundaries']) == (0.05, 0.3, 44)
    table = markdown([row('chunking', chunking, chunking), found])
    assert '| rtc | 75.0% (20%–80%) | 1 / 2 | 1.00 | 0.0500 / 0.1000 / 0.3000 | 44 | 0.0100 | 12.5 ms | True |' in table
    assert table.endswith('4 paired episodes per policy.')
