"""Writes of the price table and the consumer price index (KPI).

An association writes only its own unit costs: every function refuses a shared row (association null)
with `SharedRowReadOnly`, whatever the view did. The KPI table is shared; its writes are for the site's
staff, which the view checks (`is_staff`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from samverkan.tenancy.models import Association

from .models import PriceIndex, UnitCost
from .price_data import load_shipped_prices

# The fields an association may set on its own rows (the form's fields).
UNIT_COST_FIELDS = (
    "item",
    "actor",
    "amount",
    "unit",
    "price_year",
    "source_text",
    "source_url",
    "kind",
    "payer",
    "receiver",
    "is_example",
    "notes",
)


class SharedRowReadOnly(PermissionError):
    """A shared unit cost belongs to no association: it is copied, never changed, by one."""


def _own(unit_cost: UnitCost, association: Association | None = None) -> None:
    if unit_cost.association_id is None:
        raise SharedRowReadOnly(unit_cost.pk)
    if association is not None and unit_cost.association_id != association.pk:
        raise SharedRowReadOnly(unit_cost.pk)


def _assign(unit_cost: UnitCost, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(UNIT_COST_FIELDS)
    if unknown:
        raise TypeError(f"Unknown unit cost fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit_cost, name, value)


def unit_cost_create(*, association: Association, **fields: Any) -> UnitCost:
    """A new row in the association's own table (validated: a transfer needs a payer and a receiver)."""
    unit_cost = UnitCost(association=association)
    _assign(unit_cost, fields)
    unit_cost.full_clean()
    unit_cost.save()
    return unit_cost


def unit_cost_update(*, unit_cost: UnitCost, association: Association | None = None, **fields: Any) -> UnitCost:
    _own(unit_cost, association)
    _assign(unit_cost, fields)
    unit_cost.full_clean()
    unit_cost.save()
    return unit_cost


def unit_cost_delete(*, unit_cost: UnitCost, association: Association | None = None) -> None:
    _own(unit_cost, association)
    unit_cost.delete()


def unit_cost_copy_shared(*, association: Association, source: UnitCost) -> UnitCost:
    """A copy of a shared row in the association's own table, to edit; it remembers where it came from."""
    if source.association_id is not None:
        raise ValueError("Only a shared unit cost is copied into an association's table.")
    copy = UnitCost(association=association, copied_from=source)
    _assign(copy, {name: getattr(source, name) for name in UNIT_COST_FIELDS})
    copy.full_clean()
    copy.save()
    return copy


def price_index_set(*, year: int, value: Decimal, source: str = "") -> PriceIndex:
    """Adds or corrects one year of the shared KPI table (site staff only; the view checks)."""
    row, _created = PriceIndex.objects.get_or_create(year=year, defaults={"value": value, "source": source})
    row.value = value
    row.source = source
    row.full_clean()
    row.save()
    return row


def price_index_delete(*, year: int) -> None:
    PriceIndex.objects.filter(year=year).delete()


@transaction.atomic
def shipped_prices_load() -> tuple[int, int]:
    """The shipped KPI and shared example unit costs again (after a test or the demo flushed the tables)."""
    return load_shipped_prices(PriceIndex, UnitCost)
