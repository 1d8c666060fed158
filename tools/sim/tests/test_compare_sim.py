"""compare_sim.py rows from two eval results: success change, discordant pairs, McNemar, speed-up."""
import pytest

from compare_sim import markdown, row


def result(successes, p50, gflop=1.0):
    episodes = [{'task': 'reach', 'seed': 100000 + k, 'success': s} for k, s in enumerate(successes)]
    return {'per_episode': episodes, 'overall_success': sum(successes) / len(successes), 'overall_wilson95': [0.1, 0.9],
            'inference_ms': {'p50': p50}, 'episodes': len(successes), 'gflop_per_inference': gflop}


def test_a_row_pairs_the_episodes_and_measures_the_speed_up():
    dense = result([True, True, True, False, False], p50=20.0)
    fast = result([True, False, True, True, False], p50=8.0, gflop=0.25)
    found = row('fast', fast, dense)
    assert (found['only_baseline'], found['only_setting']) == (1, 1)
    assert found['mcnemar_p'] == 1.0 and found['delta'] == pytest.approx(0.0)
    assert found['speedup'] == pytest.approx(2.5)
    table = markdown([row('dense', dense, dense), found], ['reach'])
    assert '| fast | 60.0% (10%–90%) | +0.0% | 1 / 1 | 1.00 | 8.0 ms | 2.50× | 25.0% |' in table
