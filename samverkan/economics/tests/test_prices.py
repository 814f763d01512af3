"""The price table and the KPI: models, conversion, the shared rows' read-only rule, roles and forms."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import ScopeError, scope
from django_scopes.state import state

from samverkan.common.factories import MembershipFactory, UserFactory
from samverkan.economics import price_data
from samverkan.economics import selectors_prices as selectors
from samverkan.economics import services_prices as services
from samverkan.economics.models import CostKind, PriceIndex, Unit, UnitCost
from samverkan.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _own(association: Any, **fields: Any) -> UnitCost:
    values = {
        "item": "Försörjningsstöd per helårsekvivalent",
        "actor": "kommun",
        "amount": Decimal("150000"),
        "unit": Unit.PER_FULL_YEAR_EQUIVALENT,
        "price_year": 2022,
        "source_text": "Egen uppgift, socialtjänsten 2022",
        "kind": CostKind.TRANSFER,
        "payer": "kommun",
        "receiver": "individen",
    } | fields
    return services.unit_cost_create(association=association, **values)


def _shared() -> UnitCost:
    return UnitCost.shared.order_by("pk").first()


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "item": "Handläggning per ärende",
        "actor": "forsakringskassan",
        "amount": "4 500,50",
        "unit": "per_case",
        "price_year": "2023",
        "kind": "real",
        "payer": "",
        "receiver": "",
        "source_text": "Egen tidsstudie 2023",
        "source_url": "",
        "notes": "",
    } | fields


# The shipped figures


def test_the_shipped_kpi_is_scb_s_yearly_average_from_2006_to_2023_with_1980_as_100() -> None:
    table = selectors.kpi_table()
    assert table[1980] == 100.0
    assert table[2006] == 284.22 and table[2022] == 371.91 and table[2023] == 403.70
    assert set(range(2006, 2024)) <= set(table)
    assert all(row.source.startswith("SCB") for row in PriceIndex.objects.all())


def test_the_shipped_unit_costs_are_shared_examples_each_with_a_source_link_and_price_year() -> None:
    shipped = selectors.shared_unit_costs()
    assert len(shipped) == len(price_data.SHIPPED_UNIT_COSTS) >= 6
    for unit_cost in shipped:
        assert unit_cost.association_id is None and unit_cost.is_example
        assert unit_cost.source_text and unit_cost.source_url.startswith("http") and unit_cost.price_year
        assert "Säkerhet" in unit_cost.notes
        unit_cost.full_clean()
    uppsala = next(u for u in shipped if "Uppsala" in u.item)
    assert uppsala.amount == Decimal("162000") and uppsala.price_year == 2022
    assert next(u for u in shipped if u.unit == Unit.PER_LIFETIME).amount == Decimal("12500000")


def test_loading_the_shipped_prices_again_updates_instead_of_duplicating() -> None:
    PriceIndex.objects.filter(year=2023).update(value=Decimal("1.00"))
    services.shipped_prices_load()
    services.shipped_prices_load()
    assert PriceIndex.objects.get(year=2023).value == Decimal("403.70")
    assert UnitCost.shared.count() == len(price_data.SHIPPED_UNIT_COSTS)


# Conversion by the KPI


def test_an_amount_is_converted_by_the_ratio_of_the_two_years_kpi() -> None:
    # 162 000 kr in 2022's prices is 162 000 × 403,70 / 371,91 in 2023's prices.
    assert selectors.convert_amount(Decimal("162000"), 2022, 2023) == Decimal("175847.38")
    assert selectors.convert_amount(100, 2023, 2022) == Decimal("92.13")
    assert selectors.convert_amount(Decimal("1234.56"), 2019, 2019, kpi={}) == Decimal("1234.56")


def test_a_conversion_to_and_back_returns_the_amount() -> None:
    there = selectors.convert_amount(Decimal("1000000"), 2008, 2023)
    assert abs(selectors.convert_amount(there, 2023, 2008) - Decimal("1000000")) <= Decimal("0.01")


def test_a_conversion_with_a_year_missing_from_the_kpi_says_which_year() -> None:
    with pytest.raises(selectors.KpiMissing) as missing:
        selectors.convert_amount(100, 1995, 2023)
    assert missing.value.year == 1995
    with pytest.raises(selectors.KpiMissing):
        selectors.convert_amount(100, 2023, 2031, kpi={2023: 403.7})


def test_a_given_kpi_table_is_used_instead_of_the_database() -> None:
    assert selectors.convert_amount(100, 2000, 2001, kpi={2000: 200.0, 2001: 300.0}) == Decimal("150.00")


# The model's rules


def test_a_transfer_needs_a_payer_and_a_receiver_that_differ(actors: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _own(actors.association, payer="", receiver="")
    assert set(error.value.message_dict) == {"payer", "receiver"}
    with pytest.raises(ValidationError) as error:
        _own(actors.association, payer="kommun", receiver="kommun")
    assert error.value.message_dict["receiver"] == ["Betalare och mottagare måste vara olika aktörer."]


def test_a_real_resource_drops_any_payer_and_receiver(actors: Any) -> None:
    unit_cost = _own(actors.association, kind=CostKind.REAL, payer="kommun", receiver="individen")
    assert (unit_cost.payer, unit_cost.receiver) == ("", "")


def test_the_database_refuses_a_transfer_without_parties_even_past_the_form(actors: Any) -> None:
    unit_cost = _own(actors.association)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitCost.objects.filter(pk=unit_cost.pk).update(payer="")


# Scoping: the shared rows never come through the tenant manager


def test_the_tenant_manager_raises_without_a_scope_and_never_returns_a_shared_row(actors: Any) -> None:
    own = _own(actors.association)
    theirs = _own(actors.other_association, item="Betas egna")
    token = state.set(None)
    try:
        with pytest.raises(ScopeError):
            list(UnitCost.objects.all())
        assert len(UnitCost.shared.all()) == len(price_data.SHIPPED_UNIT_COSTS)  # no scope needed
        with scope(association=actors.association):
            assert list(UnitCost.objects.all()) == [own]
            assert not UnitCost.objects.filter(pk=_shared().pk).exists()
            assert not UnitCost.objects.filter(pk=theirs.pk).exists()
            assert theirs.pk not in {u.pk for u in UnitCost.shared.all()}
    finally:
        state.reset(token)


def test_unit_costs_for_lists_the_association_s_own_rows_first_then_the_shared_ones(actors: Any) -> None:
    own = _own(actors.association, item="Öppenvårdsbesök")
    _own(actors.other_association, item="Betas")
    rows = selectors.unit_costs_for(actors.association)
    assert rows[0] == own
    assert [u.association_id for u in rows[1:]] == [None] * len(price_data.SHIPPED_UNIT_COSTS)


def test_the_services_refuse_to_change_or_delete_a_shared_row(actors: Any) -> None:
    shared = _shared()
    with pytest.raises(services.SharedRowReadOnly):
        services.unit_cost_update(unit_cost=shared, amount=Decimal(1))
    with pytest.raises(services.SharedRowReadOnly):
        services.unit_cost_delete(unit_cost=shared)
    theirs = _own(actors.other_association)
    with pytest.raises(services.SharedRowReadOnly):
        services.unit_cost_update(unit_cost=theirs, association=actors.association, amount=Decimal(1))
    assert UnitCost.shared.get(pk=shared.pk).amount == shared.amount


def test_copying_a_shared_row_gives_an_own_row_that_remembers_its_origin(actors: Any) -> None:
    shared = _shared()
    copy = services.unit_cost_copy_shared(association=actors.association, source=shared)
    assert copy.association == actors.association and copy.copied_from == shared
    assert (copy.item, copy.amount, copy.price_year, copy.source_url) == (
        shared.item,
        shared.amount,
        shared.price_year,
        shared.source_url,
    )


# Pages


def _url(name: str, actors: Any, *args: Any) -> str:
    return reverse(f"economics:{name}", args=[actors.association.slug, *args])


def test_the_price_list_shows_shared_examples_with_badge_source_and_converted_amount(actors: Any) -> None:
    own = _own(actors.association, item="Vårt försörjningsstöd")
    _own(actors.other_association, item="Betas försörjningsstöd")
    response = actors.client_for(actors.member).get(_url("price_list", actors) + "?prisar=2023")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vårt försörjningsstöd" in html and "Exempel" in html and "Betas" not in html
    assert "https://finsamuppsala.se/nyttoanalys/" in html
    assert "I 2023 års priser" in html
    assert "175\xa0847 kr" in html  # 162 000 kr (2022) in 2023's prices
    # A member reads: no edit links, no copy buttons.
    assert _url("price_edit", actors, own.pk) not in html
    assert "Kopiera till egna" not in html


def test_the_admin_sees_edit_links_for_own_rows_and_copy_buttons_for_shared_ones(actors: Any) -> None:
    own = _own(actors.association)
    html = actors.client_for(actors.admin).get(_url("price_list", actors)).content.decode()
    assert _url("price_edit", actors, own.pk) in html
    assert _url("price_copy", actors, _shared().pk) in html
    assert _url("price_edit", actors, _shared().pk) not in html


def test_a_price_year_the_kpi_lacks_falls_back_to_the_latest_and_says_so(actors: Any) -> None:
    html = actors.client_for(actors.member).get(_url("price_list", actors) + "?prisar=1990").content.decode()
    assert "I 2023 års priser" in html and "KPI saknas för det valda året" in html


def test_the_admin_creates_a_unit_cost_with_a_spaced_amount_and_a_decimal_comma(actors: Any) -> None:
    response = actors.client_for(actors.admin).post(_url("price_create", actors), _form())
    assert response.status_code == 302
    unit_cost = UnitCost.objects.get(association=actors.association)
    assert unit_cost.amount == Decimal("4500.50") and unit_cost.unit == Unit.PER_CASE


def test_a_transfer_without_parties_is_refused_in_swedish_and_the_typed_input_is_kept(actors: Any) -> None:
    data = _form(kind="transfer", item="Sjukpenning <dag>", amount="1 116")
    response = actors.client_for(actors.admin).post(_url("price_create", actors), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "En transferering behöver en betalare." in html and "En transferering behöver en mottagare." in html
    assert 'value="Sjukpenning &lt;dag&gt;"' in html and 'value="1 116"' in html
    assert not UnitCost.objects.filter(association=actors.association).exists()


def test_the_same_payer_and_receiver_and_a_bad_amount_are_refused_with_reasons(actors: Any) -> None:
    data = _form(kind="transfer", payer="kommun", receiver="kommun", amount="mycket", source_text="")
    html = actors.client_for(actors.admin).post(_url("price_create", actors), data).content.decode()
    assert "Skriv beloppet som ett tal i kronor" in html
    assert "Ange källan" in html
    data = _form(kind="transfer", payer="kommun", receiver="kommun")
    html = actors.client_for(actors.admin).post(_url("price_create", actors), data).content.decode()
    assert "Betalare och mottagare måste vara olika aktörer." in html


def test_a_negative_amount_or_a_price_year_outside_the_range_is_refused(actors: Any) -> None:
    client = actors.client_for(actors.admin)
    assert client.post(_url("price_create", actors), _form(amount="-5")).status_code == 400
    assert client.post(_url("price_create", actors), _form(price_year="1850")).status_code == 400
    assert client.post(_url("price_create", actors), _form(item="a\x00b")).status_code == 400
    assert not UnitCost.objects.filter(association=actors.association).exists()


def test_the_admin_edits_and_deletes_an_own_row(actors: Any) -> None:
    own = _own(actors.association)
    client = actors.client_for(actors.admin)
    data = _form(item="Nytt namn", kind="transfer", payer="kommun", receiver="individen")
    assert client.post(_url("price_edit", actors, own.pk), data).status_code == 302
    own.refresh_from_db()
    assert own.item == "Nytt namn" and own.amount == Decimal("4500.50")
    assert client.get(_url("price_delete", actors, own.pk)).status_code == 200
    assert client.post(_url("price_delete", actors, own.pk)).status_code == 302
    assert not UnitCost.objects.filter(pk=own.pk).exists()


def test_a_shared_row_cannot_be_edited_or_deleted_through_the_pages(actors: Any) -> None:
    shared = _shared()
    client = actors.client_for(actors.admin)
    for name in ("price_edit", "price_delete"):
        assert client.get(_url(name, actors, shared.pk)).status_code == 404
        assert client.post(_url(name, actors, shared.pk), _form(amount="1")).status_code == 404
    assert UnitCost.shared.get(pk=shared.pk).amount == shared.amount


def test_the_admin_copies_a_shared_row_and_lands_on_the_copy_s_form(actors: Any) -> None:
    shared = _shared()
    client = actors.client_for(actors.admin)
    assert client.get(_url("price_copy", actors, shared.pk)).status_code == 405
    response = client.post(_url("price_copy", actors, shared.pk))
    copy = UnitCost.objects.get(association=actors.association)
    assert response.status_code == 302 and response["Location"] == _url("price_edit", actors, copy.pk)
    assert copy.copied_from_id == shared.pk


def test_copying_an_own_row_as_if_it_were_shared_is_a_404(actors: Any) -> None:
    own = _own(actors.association)
    assert actors.client_for(actors.admin).post(_url("price_copy", actors, own.pk)).status_code == 404


def test_another_association_s_row_is_a_404_under_its_own_slug(actors: Any) -> None:
    theirs = _own(actors.other_association)
    client = actors.client_for(actors.admin)
    for name in ("price_edit", "price_delete"):
        assert client.get(_url(name, actors, theirs.pk)).status_code == 404
        assert client.post(_url(name, actors, theirs.pk), _form()).status_code == 404
    assert actors.client_for(actors.admin).post(_url("price_copy", actors, theirs.pk)).status_code == 404


def test_members_and_analysts_read_but_may_not_change_the_price_table(actors: Any) -> None:
    own = _own(actors.association)
    for user in (actors.member, actors.analyst):
        client = actors.client_for(user)
        assert client.get(_url("price_list", actors)).status_code == 200
        assert client.get(_url("price_create", actors)).status_code == 403
        assert client.post(_url("price_create", actors), _form()).status_code == 403
        assert client.post(_url("price_edit", actors, own.pk), _form()).status_code == 403
        assert client.post(_url("price_delete", actors, own.pk)).status_code == 403
        assert client.post(_url("price_copy", actors, _shared().pk)).status_code == 403
    assert UnitCost.objects.filter(association=actors.association).count() == 1


def test_the_anonymous_visitor_is_sent_to_login(client: Any, actors: Any) -> None:
    for url in (_url("price_list", actors), _url("kpi", actors), _url("price_export", actors)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_the_export_holds_own_rows_then_the_shared_examples_and_the_kpi(actors: Any) -> None:
    from openpyxl import load_workbook

    _own(actors.association, item='=HYPERLINK("x")')
    _own(actors.other_association, item="Betas hemliga belopp", notes="Beta")
    response = actors.client_for(actors.member).get(_url("price_export", actors) + "?prisar=2023")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["À-priser"].iter_rows(values_only=True))
    assert rows[0][9] == "Belopp i 2023 års priser (kr)"
    assert rows[1][0] == "Egna" and rows[1][1] == '=HYPERLINK("x")'  # text, not a formula
    assert {r[0] for r in rows[2:]} == {"Gemensamma exempel"}
    assert len(rows) == 2 + len(price_data.SHIPPED_UNIT_COSTS)
    assert not any("Betas" in str(cell) for row in rows for cell in row)  # another tenant's rows never leak
    kpi_rows = list(workbook["KPI"].iter_rows(values_only=True))
    assert (2023, 403.7) in kpi_rows


# The KPI page


def test_everyone_in_the_association_reads_the_kpi_but_only_staff_see_the_form(actors: Any) -> None:
    html = actors.client_for(actors.admin).get(_url("kpi", actors)).content.decode()
    assert "403,70" in html and "Lägg till eller rätta ett år" not in html
    staff = UserFactory(email="drift@plattform.se", is_staff=True)
    MembershipFactory(user=staff, association=actors.association, role=Role.MEMBER)
    html = actors.client_for(staff).get(_url("kpi", actors)).content.decode()
    assert "Lägg till eller rätta ett år" in html


def test_an_association_admin_who_is_not_staff_cannot_change_the_kpi(actors: Any) -> None:
    response = actors.client_for(actors.admin).post(_url("kpi", actors), {"year": "2024", "value": "415,00"})
    assert response.status_code == 403
    assert (
        actors.client_for(actors.admin).post(_url("kpi", actors), {"action": "delete", "year": "2023"}).status_code
        == 403
    )
    assert not PriceIndex.objects.filter(year=2024).exists() and PriceIndex.objects.filter(year=2023).exists()


def test_staff_add_correct_and_remove_a_kpi_year(actors: Any) -> None:
    staff = UserFactory(email="drift@plattform.se", is_staff=True)
    MembershipFactory(user=staff, association=actors.association, role=Role.MEMBER)
    client = actors.client_for(staff)
    assert client.post(_url("kpi", actors), {"year": "2005", "value": "280,72", "source": "SCB"}).status_code == 302
    assert PriceIndex.objects.get(year=2005).value == Decimal("280.72")
    assert client.post(_url("kpi", actors), {"year": "2005", "value": "280,50", "source": "SCB"}).status_code == 302
    assert PriceIndex.objects.get(year=2005).value == Decimal("280.50")
    assert client.post(_url("kpi", actors), {"action": "delete", "year": "2005"}).status_code == 302
    assert not PriceIndex.objects.filter(year=2005).exists()
    assert client.post(_url("kpi", actors), {"action": "delete", "year": "1850"}).status_code == 404


def test_a_bad_kpi_value_is_refused_in_swedish_and_kept(actors: Any) -> None:
    staff = UserFactory(email="drift@plattform.se", is_staff=True)
    MembershipFactory(user=staff, association=actors.association, role=Role.MEMBER)
    response = actors.client_for(staff).post(_url("kpi", actors), {"year": "20x4", "value": "noll", "source": "S"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ange året som ett årtal" in html and 'value="20x4"' in html and 'value="noll"' in html


def test_the_kpi_page_says_which_years_the_table_holds(actors: Any) -> None:
    assert selectors.year_ranges([2008, 1980, 2006, 2007, 2010]) == [(1980, 1980), (2006, 2008), (2010, 2010)]
    html = actors.client_for(actors.member).get(_url("kpi", actors)).content.decode()
    assert "Tabellen har värden för 1980, 2006–2023." in html


def test_the_edit_form_shows_the_amount_with_a_decimal_comma_and_saves_it_unchanged(actors: Any) -> None:
    own = _own(actors.association, amount=Decimal("1975.50"))
    client = actors.client_for(actors.admin)
    html = client.get(_url("price_edit", actors, own.pk)).content.decode()
    assert 'value="1975,50"' in html
    data = _form(amount="1975,50", kind="transfer", payer="kommun", receiver="individen")
    assert client.post(_url("price_edit", actors, own.pk), data).status_code == 302
    own.refresh_from_db()
    assert own.amount == Decimal("1975.50")
