"""Reads of the price table and the consumer price index (KPI).

The shared rows (association null) are read through `UnitCost.shared` only; an association's own rows
through the scoped `UnitCost.objects`, always filtered on the association as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404

from samverkan.tenancy.models import Association

from . import scenario_format
from .models import PriceIndex, UnitCost


class KpiMissing(LookupError):
    """The KPI table has no value for a year a conversion needs."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


def kpi_table() -> dict[int, float]:
    """Year -> KPI yearly average (1980=100), every year the shared table holds."""
    return {year: float(value) for year, value in PriceIndex.objects.order_by("year").values_list("year", "value")}


def kpi_rows() -> list[PriceIndex]:
    return list(PriceIndex.objects.order_by("-year"))


def year_ranges(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) ranges: [1980, 2006, 2007, 2008] -> [(1980, 1980), (2006, 2008)]."""
    ranges: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if ranges and year == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], year)
        else:
            ranges.append((year, year))
    return ranges


def price_index_or_404(year: int) -> PriceIndex:
    try:
        return PriceIndex.objects.get(year=year)
    except PriceIndex.DoesNotExist:
        raise Http404 from None


def kpi_factor(from_year: int, to_year: int, kpi: Mapping[int, float]) -> float:
    """KPI[to_year] / KPI[from_year], by the calculation's own conversion; `KpiMissing` for a lacking year."""
    try:
        return scenario_format.kpi_factor(from_year, to_year, kpi)
    except scenario_format.KpiYearMissing as missing:
        raise KpiMissing(missing.year) from None


def convert_amount(
    amount: Decimal | float | int, from_year: int, to_year: int, kpi: Mapping[int, float] | None = None
) -> Decimal:
    """An amount in `from_year`'s prices converted to `to_year`'s prices by the KPI, rounded to whole öre.

    `kpi` defaults to the shared table in the database; raises `KpiMissing` when a year is not in it.
    """
    table = kpi_table() if kpi is None else kpi
    factor = Decimal(str(kpi_factor(from_year, to_year, table)))
    return (Decimal(str(amount)) * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shared_unit_costs() -> list[UnitCost]:
    """The shared table (the platform's example figures), read-only to every association."""
    return list(UnitCost.shared.order_by("item", "price_year", "pk"))


def own_unit_costs(association: Association) -> list[UnitCost]:
    return list(UnitCost.objects.filter(association=association).order_by("item", "price_year", "pk"))


def unit_costs_for(association: Association) -> list[UnitCost]:
    """The unit costs an association can use: its own rows first, then the shared ones."""
    return own_unit_costs(association) + shared_unit_costs()


def own_unit_cost_or_404(association: Association, pk: int) -> UnitCost:
    """One of the association's own rows. A shared row, or another association's, is a 404."""
    try:
        return UnitCost.objects.get(association=association, pk=pk)
    except UnitCost.DoesNotExist:
        raise Http404 from None


def shared_unit_cost_or_404(pk: int) -> UnitCost:
    try:
        return UnitCost.shared.get(pk=pk)
    except UnitCost.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PriceRow:
    """A unit cost as the price table shows it: with its amount in the chosen price year when the KPI allows."""

    unit_cost: UnitCost
    converted: Decimal | None  # None: the KPI lacks the row's or the target's year
    missing_year: int | None


def price_rows(unit_costs: list[UnitCost], to_year: int | None, kpi: Mapping[int, float]) -> list[PriceRow]:
    rows = []
    for unit_cost in unit_costs:
        if to_year is None:
            rows.append(PriceRow(unit_cost, None, None))
            continue
        try:
            converted = convert_amount(unit_cost.amount, unit_cost.price_year, to_year, kpi)
        except KpiMissing as missing:
            rows.append(PriceRow(unit_cost, None, missing.year))
        else:
            rows.append(PriceRow(unit_cost, converted, None))
    return rows
