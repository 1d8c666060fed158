"""The Wilson score interval for a binomial success rate."""
import math

Z_95 = 1.959963984540054
"""The two-sided 95 % quantile of the standard normal distribution."""


def wilson_interval(successes, trials, z=Z_95):
    """(low, high) of the Wilson score interval for `successes` out of `trials` (trials ≥ 1)."""
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f'need 0 <= successes <= trials and trials >= 1, got {successes}/{trials}')
    rate = successes / trials
    z2n = z * z / trials
    centre = (rate + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(rate * (1 - rate) / trials + z2n / (4 * trials))
    return max(0.0, centre - half), min(1.0, centre + half)
