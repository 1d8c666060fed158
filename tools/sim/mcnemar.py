"""McNemar's exact test on paired binary outcomes (the same episodes under two settings)."""
import math


def mcnemar_exact(only_first, only_second):
    """Two-sided exact p-value given the discordant pairs: episodes that succeeded under the first
    setting only (`only_first`) and under the second only (`only_second`). Under the null hypothesis
    each discordant pair goes either way with probability ½ (binomial); ties in the tail count fully."""
    if only_first < 0 or only_second < 0:
        raise ValueError(f'discordant counts must be non-negative, got {only_first}, {only_second}')
    discordant = only_first + only_second
    if discordant == 0:
        return 1.0
    tail = sum(math.comb(discordant, k) for k in range(min(only_first, only_second) + 1)) / 2 ** discordant
    return min(1.0, 2 * tail)


def paired_counts(first, second):
    """(both, only first, only second, neither) over the episodes keyed alike in both dicts of
    key → success; refuses episode sets that differ."""
    if first.keys() != second.keys():
        raise ValueError(f'the runs are not paired: {len(first.keys() ^ second.keys())} episodes appear in only one')
    both = sum(first[k] and second[k] for k in first)
    only_first = sum(first[k] and not second[k] for k in first)
    only_second = sum(second[k] and not first[k] for k in first)
    return both, only_first, only_second, len(first) - both - only_first - only_second
