"""Factories for the interventions' tests (shared with the participants' tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from samverkan.common.factories import AssociationFactory
from samverkan.interventions.models import Financing, FinancierKind, Form, InKind, Intervention, VolumeCount


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    code = factory.Sequence(lambda n: f"insats-{n}")
    start = date(2022, 1, 1)
    form = Form.PROJECT


def permanent(association: Any, since: date, **kwargs: Any) -> Intervention:
    return InterventionFactory(association=association, form=Form.PERMANENT, permanent_since=since, **kwargs)


def money(intervention: Intervention, year: int, amount: int, *, budget: int | None = None, **kwargs: Any) -> Financing:
    kwargs.setdefault("financier_kind", FinancierKind.POOLED)
    return Financing.objects.create(
        intervention=intervention,
        year=year,
        amount=Decimal(amount),
        budget=None if budget is None else Decimal(budget),
        **kwargs,
    )


def time(intervention: Intervention, year: int, agency: Any, quantity: str, unit: str = "hours") -> InKind:
    return InKind.objects.create(
        intervention=intervention, year=year, agency=agency, quantity=Decimal(quantity), unit=unit
    )


def heads(intervention: Intervention, year: int, n: int) -> VolumeCount:
    return VolumeCount.objects.create(intervention=intervention, year=year, head_count=n)
