"""The demo: Norra Västmanland's interventions move from mostly projects to mostly permanent operations."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from samverkan.interventions.models import Financing, InKind, Intervention, VolumeCount
from samverkan.interventions.portfolio import build_portfolio
from samverkan.tenancy.models import Association

pytestmark = pytest.mark.django_db


def test_the_demo_moves_from_projects_to_permanent_operations_and_loads_twice_without_change() -> None:
    call_command("load_demo", stdout=io.StringIO())
    association = Association.objects.get(slug="norra-vastmanland")
    interventions = Intervention.objects.filter(association=association)
    assert 9 <= interventions.count() <= 12
    counts = (Financing.objects.count(), InKind.objects.count(), VolumeCount.objects.count())
    portfolio = build_portfolio(association, None)
    # Money from 2022 to 2026; participants who began before the first financed year may add a year before it.
    with_money = [row for row in portfolio.rows if row.money.total]
    assert [row.year for row in with_money] == [2022, 2023, 2024, 2025, 2026]
    first, last = with_money[0], with_money[-1]
    assert first.money_percent[1] < 25 and last.money_percent[1] > 75  # mostly projects → mostly permanent
    kinds = set(Financing.objects.values_list("financier_kind", flat=True))
    assert kinds == {"pooled", "agency", "external"}
    assert Financing.objects.filter(external_name="ESF").exists()
    assert interventions.filter(orientation="structural").count() >= 2 and VolumeCount.objects.exists()
    assert interventions.filter(campaigns__isnull=False).exists()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert (Financing.objects.count(), InKind.objects.count(), VolumeCount.objects.count()) == counts
    assert "lämnas orörda" in output.getvalue()
