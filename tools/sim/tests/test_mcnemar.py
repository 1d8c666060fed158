"""McNemar's exact test against binomial tails worked out by hand, and the pairing of runs."""
import pytest

from mcnemar import mcnemar_exact, paired_counts


def test_exact_p_values():
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 0) == pytest.approx(2 / 32)               # 2 · ½⁵
    assert mcnemar_exact(1, 9) == pytest.approx(2 * (1 + 10) / 1024)  # 2 · (C(10,0) + C(10,1)) / 2¹⁰
    assert mcnemar_exact(9, 1) == mcnemar_exact(1, 9)
    assert mcnemar_exact(3, 3) == 1.0                                 # the tail sum exceeds ½
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


def test_paired_counts_split_the_episodes():
    first = {('reach', 1): True, ('reach', 2): True, ('reach', 3): False, ('push', 1): False}
    second = {('reach', 1): True, ('reach', 2): False, ('reach', 3): True, ('push', 1): False}
    assert paired_counts(first, second) == (1, 1, 1, 1)
    with pytest.raises(ValueError, match='not paired'):
        paired_counts(first, {('reach', 1): True})
