"""Pure statistics of the measurement rules in PRODUCT.md.

Nothing here touches the database: every function takes counts, sums or
plain numbers, so the rules can be pinned with property-based tests and the
results page costs the same for 1,000 and 100,000 responses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from scipy import stats as sps

# The 1–5 ring scale cut in three equal parts: ring 1 below 7/3, ring 3 above 11/3.
RING_1_UPPER = Fraction(7, 3)
RING_3_LOWER = Fraction(11, 3)
SCALE_MIN, SCALE_MAX = 1, 5

DISAGREEMENT_SHARE = 0.30  # oenighet: ≥ 30 % of answers more than one step from the median
ALPHA_MIN_N = 30  # Cronbach's alpha is shown from n ≥ 30 complete answers
DEFAULT_MIN_GROUP_SIZE = 5
ABSOLUTE_MIN_GROUP_SIZE = 3


def ring_of_score(score: float) -> int:
    """Ring 1, 2 or 3 for a mean, median or single answer on the 1–5 scale.

    Ring 2 is the closed interval [7/3, 11/3]; exact fractions avoid float edge errors.
    """
    value = Fraction(score).limit_denominator(10**9) if isinstance(score, float) else Fraction(score)
    if value < RING_1_UPPER:
        return 1
    if value > RING_3_LOWER:
        return 3
    return 2


@dataclass(frozen=True)
class Moments:
    n: int
    mean: float
    sd: float | None  # sample standard deviation (n − 1); None when n < 2


def moments_from_sums(n: int, total: float, total_sq: float) -> Moments | None:
    if n <= 0:
        return None
    mean = total / n
    if n < 2:
        return Moments(n=n, mean=mean, sd=None)
    variance = max((total_sq - n * mean * mean) / (n - 1), 0.0)
    return Moments(n=n, mean=mean, sd=math.sqrt(variance))


def moments_from_counts(counts: Mapping[int, int]) -> Moments | None:
    n = sum(counts.values())
    if n <= 0:
        return None
    mean = sum(v * c for v, c in counts.items()) / n
    if n < 2:
        return Moments(n=n, mean=mean, sd=None)
    variance = sum(c * (v - mean) ** 2 for v, c in counts.items()) / (n - 1)
    return Moments(n=n, mean=mean, sd=math.sqrt(variance))


def median_from_counts(counts: Mapping[int, int]) -> float | None:
    n = sum(counts.values())
    if n <= 0:
        return None
    ordered = sorted((v, c) for v, c in counts.items() if c > 0)

    def nth(k: int) -> int:  # 0-based k-th smallest value
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise IndexError(k)

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def t_critical(df: int) -> float:
    return float(sps.t.ppf(0.975, df))


def mean_ci(moments: Moments) -> tuple[float, float] | None:
    """95 % interval by Student's t: mean ± t(0.975, n−1) · s/√n; None when n < 2."""
    if moments.n < 2 or moments.sd is None:
        return None
    half = t_critical(moments.n - 1) * moments.sd / math.sqrt(moments.n)
    return moments.mean - half, moments.mean + half


def ring_shares(counts: Mapping[int, int]) -> tuple[float, float, float]:
    n = sum(counts.values())
    if n <= 0:
        return (0.0, 0.0, 0.0)
    per_ring = [0, 0, 0]
    for value, count in counts.items():
        per_ring[ring_of_score(value) - 1] += count
    return (per_ring[0] / n, per_ring[1] / n, per_ring[2] / n)


def is_disagreement(counts: Mapping[int, int]) -> bool:
    """Oenighet: 30 % or more of the answers lie more than one step from the median."""
    n = sum(counts.values())
    median = median_from_counts(counts)
    if median is None:
        return False
    far = sum(c for v, c in counts.items() if abs(v - median) > 1)
    return far >= DISAGREEMENT_SHARE * n - 1e-12


@dataclass(frozen=True)
class LevelSummary:
    n: int
    mean: float
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    median: float
    ring: int
    share_ring_1: float
    share_ring_2: float
    share_ring_3: float
    disagreement: bool


def summarize_counts(counts: Mapping[int, int]) -> LevelSummary | None:
    """All figures of one level and group from its answer counts (1–5, "vet ej" excluded)."""
    scale = {v: c for v, c in counts.items() if SCALE_MIN <= v <= SCALE_MAX and c > 0}
    moments = moments_from_counts(scale)
    median = median_from_counts(scale)
    if moments is None or median is None:
        return None
    ci = mean_ci(moments)
    shares = ring_shares(scale)
    return LevelSummary(
        n=moments.n,
        mean=moments.mean,
        sd=moments.sd,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        median=median,
        ring=ring_of_score(moments.mean),
        share_ring_1=shares[0],
        share_ring_2=shares[1],
        share_ring_3=shares[2],
        disagreement=is_disagreement(scale),
    )


@dataclass(frozen=True)
class Momentum:
    difference: float
    ci_low: float | None
    ci_high: float | None

    @property
    def detectable(self) -> bool:
        """False ("no detectable change") when the interval covers 0 or cannot be computed."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0


def momentum(previous: Moments, current: Moments) -> Momentum:
    """Change of the mean with Welch's 95 % interval for two independent means."""
    difference = current.mean - previous.mean
    if previous.n < 2 or current.n < 2 or previous.sd is None or current.sd is None:
        return Momentum(difference, None, None)
    v1 = previous.sd**2 / previous.n
    v2 = current.sd**2 / current.n
    se2 = v1 + v2
    if se2 == 0:
        return Momentum(difference, difference, difference)
    df = se2**2 / (v1**2 / (previous.n - 1) + v2**2 / (current.n - 1))
    half = float(sps.t.ppf(0.975, df)) * math.sqrt(se2)
    return Momentum(difference, difference - half, difference + half)


def gap_to_target(today_mean: float | None, target_mean: float | None) -> float | None:
    if today_mean is None or target_mean is None:
        return None
    return target_mean - today_mean


def respondent_index(answers: Sequence[int | None], item_count: int) -> float | None:
    """A respondent's hallmark index 0–100, or None when fewer than half the items are answered."""
    given = [a for a in answers if a is not None]
    if item_count <= 0 or 2 * len(given) < item_count:
        return None
    mean = sum(given) / len(given)
    return (mean - 1) / 4 * 100


def cronbach_alpha_from_moments(
    *, item_count: int, item_variances: Sequence[float], total_variance: float
) -> float | None:
    if item_count < 2 or total_variance <= 0:
        return None
    return item_count / (item_count - 1) * (1 - sum(item_variances) / total_variance)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Alpha from complete answer rows (respondents × items)."""
    if not rows:
        return None
    k = len(rows[0])
    n = len(rows)
    if n < 2 or k < 2:
        return None

    def variance(values: Iterable[float]) -> float:
        vals = list(values)
        m = sum(vals) / len(vals)
        return sum((v - m) ** 2 for v in vals) / (len(vals) - 1)

    item_variances = [variance(row[j] for row in rows) for j in range(k)]
    total_variance = variance(sum(row) for row in rows)
    return cronbach_alpha_from_moments(item_count=k, item_variances=item_variances, total_variance=total_variance)


def alpha_is_shown(n: int) -> bool:
    return n >= ALPHA_MIN_N


def platform_min_group_size() -> int:
    """The floor set for the whole platform (SAMVERKAN_MIN_GROUP_SIZE, never below 3)."""
    from django.conf import settings

    return max(int(getattr(settings, "SAMVERKAN_MIN_GROUP_SIZE", ABSOLUTE_MIN_GROUP_SIZE)), ABSOLUTE_MIN_GROUP_SIZE)


def effective_min_group_size(chosen: int) -> int:
    return max(chosen, platform_min_group_size())


def validate_min_group_size(value: int) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    floor = platform_min_group_size()
    if value < floor:
        raise ValidationError(_("Minsta gruppstorlek får aldrig vara under %(min)s.") % {"min": floor})


def total_is_suppressed(n: int, min_size: int) -> bool:
    """A total is hidden when it is itself below the minimum (or empty)."""
    return n < min_size


def suppress_cells(cells: Mapping[str, int], *, min_size: int, already_hidden: Iterable[str] = ()) -> set[str]:
    """Which cells of ONE table that sums to a shown total must be hidden.

    A campaign's outputs do not use this table by table (a group hidden in one
    table could be recovered from another): they use the one joint hidden set
    of `disclosure.joint_suppression`. This stays for single, stand-alone tables.

    Primary: every non-empty cell below the minimum (plus any cell already hidden
    in a related table). Complementary: if exactly one cell would be hidden, it
    could be recovered by subtraction from the total, so the next smallest
    non-empty cell is hidden too; and a hidden set whose sum is itself below the
    minimum keeps growing, so that the hidden sum never reveals a small group
    either. Empty cells reveal nothing and are never hidden alone.
    """
    hidden = {k for k, n in cells.items() if 0 < n < min_size}
    hidden |= {k for k in already_hidden if cells.get(k, 0) > 0}
    candidates = sorted((n, k) for k, n in cells.items() if n > 0 and k not in hidden)
    while hidden and candidates and (len(hidden) < 2 or sum(cells[k] for k in hidden) < min_size):
        _, key = candidates.pop(0)
        hidden.add(key)
    return hidden
