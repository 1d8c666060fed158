"""The Wilson interval against values worked out by hand from its formula.

With z = 1.959964, z² = 3.841459 and n = 20, z²/n = 0.192073:
  0/20:  centre = (0 + 0.096036) / 1.192073 = 0.080562, half = (z / 1.192073) · sqrt(0 + 3.841459/1600)
         = 1.644165 · 0.048999 = 0.080562 → [0, 0.161125];
  10/20: centre = 0.5, half = 1.644165 · sqrt(0.0125 + 0.002401) = 1.644165 · 0.122069 = 0.200702
         → [0.299298, 0.700702];
  20/20: the mirror image of 0/20 → [0.838875, 1].
"""
import pytest

from wilson import wilson_interval


@pytest.mark.parametrize('successes, low, high', [(0, 0.0, 0.161125), (10, 0.299298, 0.700702), (20, 0.838875, 1.0)])
def test_known_values(successes, low, high):
    assert wilson_interval(successes, 20) == pytest.approx((low, high), abs=1e-6)


def test_interval_narrows_with_more_trials():
    low_20, high_20 = wilson_interval(10, 20)
    low_200, high_200 = wilson_interval(100, 200)
    assert low_20 < low_200 < 0.5 < high_200 < high_20


@pytest.mark.parametrize('successes, trials', [(0, 0), (-1, 5), (6, 5)])
def test_rejects_impossible_counts(successes, trials):
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)
