"""The portfolio's movement from projects to permanent operations, as shares per year. Pure: no Django.

Input is plain rows `(year, form, value)` where form is "project" or "permanent" (the values of
`models.Form`) and value is money in SEK or a number of participants. Per year the values are split
into the two forms; a share is an exact `Fraction`, and `None` when the year has nothing (no money,
nobody) so an empty year is never drawn as 0 %. `percentages` rounds shares to whole percent that
still add up to 100 (largest remainder).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

PROJECT = "project"
PERMANENT = "permanent"
FORMS = (PROJECT, PERMANENT)


@dataclass(frozen=True)
class Split:
    """One year's total in projects and in permanent operations."""

    project: int = 0
    permanent: int = 0

    @property
    def total(self) -> int:
        return self.project + self.permanent

    @property
    def share_project(self) -> Fraction | None:
        return Fraction(self.project, self.total) if self.total else None

    @property
    def share_permanent(self) -> Fraction | None:
        return Fraction(self.permanent, self.total) if self.total else None


@dataclass(frozen=True)
class YearShare:
    year: int
    money: Split
    participants: Split


def split_by_year(rows: Iterable[tuple[int, str, int]]) -> dict[int, Split]:
    """Sums `(year, form, value)` rows into one Split per year. Negative values are refused."""
    sums: dict[int, dict[str, int]] = {}
    for year, form, value in rows:
        if form not in FORMS:
            raise ValueError(f"unknown form {form!r}")
        if value < 0:
            raise ValueError(f"negative value {value!r} for {year}")
        per_form = sums.setdefault(year, {PROJECT: 0, PERMANENT: 0})
        per_form[form] += int(value)
    return {year: Split(project=v[PROJECT], permanent=v[PERMANENT]) for year, v in sums.items()}


def portfolio_shares(
    money_rows: Iterable[tuple[int, str, int]],
    participant_rows: Iterable[tuple[int, str, int]],
    years: Iterable[int] | None = None,
) -> list[YearShare]:
    """One YearShare per year, ascending: every year in `years` (empty ones too) and every year in the rows."""
    money = split_by_year(money_rows)
    participants = split_by_year(participant_rows)
    all_years = sorted(set(years or ()) | set(money) | set(participants))
    return [YearShare(year, money.get(year, Split()), participants.get(year, Split())) for year in all_years]


def percentages(shares: Sequence[Fraction]) -> list[int]:
    """Whole percentages of shares that sum to 1, adding up to exactly 100 (largest remainder first)."""
    if not shares:
        return []
    if sum(shares) != 1:
        raise ValueError("the shares must sum to 1")
    exact = [share * 100 for share in shares]
    floors = [int(value) for value in exact]
    missing = 100 - sum(floors)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:missing]:
        floors[index] += 1
    return floors


def change_in_permanent_share(shares: Sequence[YearShare], measure: str = "money") -> Fraction | None:
    """The permanent share of the last year with a value minus that of the first: the arrow's direction."""
    values = [getattr(s, measure).share_permanent for s in shares]
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    return known[-1] - known[0]
