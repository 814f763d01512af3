"""The results of a network round: the figures equal metrics.py's, the depth filter, compare, exports, roles."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from samverkan.network import services
from samverkan.network.metrics import EdgeAnswer, network_metrics
from samverkan.network.models import NetworkRound
from samverkan.network.presentation import format_figure
from samverkan.network.tests.factories import agencies_of, answer, open_round


@pytest.fixture
def two_rounds(actors):
    """FK, AF and the region answer in the first round, all but the municipality in the second, denser."""
    af, fk, municipality, region = agencies_of(actors.association)  # ordered by kind: af, fk, municipality, region
    first = open_round(actors.association, name="Karta 2025")
    answer(first, fk, {af.name: 3, municipality.name: 0, region.name: 1})
    answer(first, af, {fk.name: 2, municipality.name: 0, region.name: 0})
    services.network_round_close(network_round=first)
    second = open_round(actors.association, name="Karta 2026", previous=first)
    answer(second, fk, {af.name: 4, municipality.name: 2, region.name: 3})
    answer(second, af, {fk.name: 4, municipality.name: 1, region.name: 2})
    answer(second, region, {fk.name: 3, af.name: 1, municipality.name: 5})
    return first, second, (af, fk, municipality, region)


def _figure(page: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}">([^<]*)<', page)
    assert found, key
    return found.group(1)


def test_the_figures_on_the_page_are_metrics_py_on_the_same_answers(actors, two_rounds) -> None:
    _first, second, (af, fk, municipality, region) = two_rounds
    url = reverse("network:round_detail", args=[actors.association.slug, second.pk])
    page = actors.client_for(actors.member).get(url).content.decode()
    said = {
        (fk, af): 4,
        (fk, municipality): 2,
        (fk, region): 3,
        (af, fk): 4,
        (af, municipality): 1,
        (af, region): 2,
        (region, fk): 3,
        (region, af): 1,
        (region, municipality): 5,
    }
    # The factory's answers: trust items 3, 4, 2 (mean 3), value 2, knows whom to call from depth 2.
    edges = [
        EdgeAnswer(s.name, t.name, depth=d, trust=3.0, value=2.0, knows_whom_to_call=d >= 2, frequency=3)
        for (s, t), d in said.items()
    ]
    nodes = [a.name for a in (af, fk, municipality, region)]
    expected = network_metrics(nodes, edges, respondents=[af.name, fk.name, region.name])
    for key in ("density", "reciprocity", "knows_whom_to_call", "response_rate", "edges", "degree_centralization"):
        assert _figure(page, key) == format_figure(key, getattr(expected, key)), key
    assert expected.non_respondents == (municipality.name,)
    # The non-respondent is named as such, in the text and in the table.
    assert "Har inte svarat:" in page and municipality.name in page
    assert 'class="non-respondent"' in page
    # And how non-response is handled is said in plain Swedish.
    assert "Nätverksmått är känsliga för bortfall" in page
    # The change since the first round is shown.
    assert "Förändringen räknas mot Karta 2025" in page


def test_the_depth_filter_keeps_only_ties_from_that_level_and_works_without_javascript(actors, two_rounds) -> None:
    _first, second, _agencies = two_rounds
    url = reverse("network:round_detail", args=[actors.association.slug, second.pk])
    client = actors.client_for(actors.member)
    all_ties = client.get(url).content.decode().count('class="tie"')
    deep = client.get(url, {"niva": "3"}).content.decode()
    assert all_ties == 9  # every answer with depth ≥ 1
    assert deep.count('class="tie"') == 5  # depths 4, 3, 4, 3, 5
    assert re.search(r'<option value="3" selected>', deep)
    bad = client.get(url, {"niva": "nio"})
    assert bad.status_code == 400 and "Okänd nivå" in bad.content.decode()
    assert bad.content.decode().count('class="tie"') == 9


def _positions(svg: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r'data-agency="([^"]+)"><title>[^<]*</title><circle cx="([^"]+)" cy="([^"]+)"', svg)
    return {name: (x, y) for name, x, y in found}


def test_compare_shows_both_rounds_with_every_agency_in_the_same_place(actors, two_rounds) -> None:
    first, second, _agencies = two_rounds
    url = reverse("network:round_compare", args=[actors.association.slug, second.pk])
    page = actors.client_for(actors.member).get(url).content.decode()  # defaults to the previous round
    maps = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    maps = [m for m in maps if 'class="network-map"' in m]
    assert len(maps) == 2
    assert _positions(maps[0]) == _positions(maps[1]) and len(_positions(maps[0])) == 4
    assert maps[0].count('class="tie"') == 3 and maps[1].count('class="tie"') == 9
    assert "Karta 2025" in page and "Karta 2026" in page
    # The ties that changed, in words (metrics.tie_changes): six new, three deeper, none gone.
    assert 'Nya band <span class="muted">(6)</span>' in page
    assert 'Djupare samverkan <span class="muted">(3)</span>' in page
    assert 'Försäkringskassan → Arbetsförmedlingen: <span class="nowrap">3 Samordning → 4 Koalition</span>' in page
    # Chosen explicitly too; an unknown round is a readable 400.
    client = actors.client_for(actors.member)
    assert client.get(url, {"med": first.pk}).status_code == 200
    assert client.get(url, {"med": "x"}).status_code == 400


def test_another_associations_round_cannot_be_compared_with(actors, two_rounds) -> None:
    _first, second, _agencies = two_rounds
    theirs = open_round(actors.other_association, name="Deras")
    url = reverse("network:round_compare", args=[actors.association.slug, second.pk])
    response = actors.client_for(actors.member).get(url, {"med": theirs.pk})
    assert response.status_code == 400 and "Deras" not in response.content.decode()


def test_the_csv_and_xlsx_exports_hold_the_edges_and_the_figures(actors, two_rounds) -> None:
    from openpyxl import load_workbook

    _first, second, (af, fk, _m, _r) = two_rounds
    client = actors.client_for(actors.member)
    csv_text = client.get(reverse("network:round_export", args=[actors.association.slug, second.pk, "csv"]))
    text = csv_text.content.decode("utf-8-sig")
    assert text.startswith("table;source;target;frequency;depth;trust;value;knows_whom_to_call")
    assert f"edge;{fk.name};{af.name};3;4;3;2;1" in text
    assert "network;4;9;0,75" in text  # 4 agencies, 9 ties, density 9/12
    xlsx = client.get(reverse("network:round_export", args=[actors.association.slug, second.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Band", "Nätverket", "Myndigheter"]
    assert workbook["Band"].max_row == 1 + 9
    bad = client.get(reverse("network:round_export", args=[actors.association.slug, second.pk, "sav"]))
    assert bad.status_code == 400


def test_the_landing_page_lists_rounds_and_the_latest_closed_rounds_figures(actors, two_rounds) -> None:
    _first, _second, _agencies = two_rounds
    page = actors.client_for(actors.member).get(reverse("network:home", args=[actors.association.slug]))
    html = page.content.decode()
    assert "Karta 2025" in html and "Karta 2026" in html
    assert "Senaste avslutade omgången: Karta 2025" in html  # the second is still open
    assert "Ny omgång" not in html  # members read


def test_the_start_page_shows_density_and_knows_whom_to_call_of_the_latest_closed_round(actors, two_rounds) -> None:
    _first, second, _agencies = two_rounds
    services.network_round_close(network_round=second)
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=[actors.association.slug])).content
    assert "Nätverkets täthet" in html.decode() and "75 %" in html.decode()


def test_members_read_and_admins_run_rounds(actors, two_rounds) -> None:
    _first, second, _agencies = two_rounds
    slug = actors.association.slug
    member, admin = actors.client_for(actors.member), actors.client_for(actors.admin)
    assert member.get(reverse("network:round_detail", args=[slug, second.pk])).status_code == 200
    for name, args in (("network:round_create", [slug]), ("network:round_invite", [slug, second.pk])):
        assert member.get(reverse(name, args=args)).status_code == 403
        assert admin.get(reverse(name, args=args)).status_code == 200
    assert member.post(reverse("network:round_close", args=[slug, second.pk])).status_code == 403
    assert admin.post(reverse("network:round_close", args=[slug, second.pk])).status_code == 302
    second.campaign.refresh_from_db()
    assert second.campaign.status == "closed"


def test_an_admin_creates_a_round_and_invites_the_representatives(actors) -> None:
    from django.core import mail

    slug = actors.association.slug
    admin = actors.client_for(actors.admin)
    response = admin.post(
        reverse("network:round_create", args=[slug]),
        {"name": "Karta hösten", "opens_on": "2026-01-01", "closes_on": "2099-12-31"},
    )
    network_round = NetworkRound.objects.get(campaign__name="Karta hösten")
    assert response["Location"] == reverse("network:round_invite", args=[slug, network_round.pk])
    fk = agencies_of(actors.association)[1]
    bad = admin.post(response["Location"], {f"email-{fk.pk}": "inte en adress"})
    assert bad.status_code == 400 and "giltig e-postadress" in bad.content.decode()
    assert 'value="inte en adress"' in bad.content.decode()
    ok = admin.post(response["Location"], {f"email-{fk.pk}": "Rep@FK.se"})
    assert ok.status_code == 302 and len(mail.outbox) == 1 and mail.outbox[0].to == ["rep@fk.se"]
    page = admin.get(response["Location"]).content.decode()
    assert "rep@fk.se" in page and "Inte svarat" in page
    # Measure's own list of rounds leaves the network round alone.
    listing = admin.get(reverse("measure:campaign_list", args=[slug])).content.decode()
    assert "Karta hösten" not in listing
    detail = admin.get(reverse("measure:campaign_detail", args=[slug, network_round.campaign_id]))
    assert detail.status_code == 404


def test_a_round_name_already_taken_is_a_field_error(actors) -> None:
    open_round(actors.association, name="Karta")
    response = actors.client_for(actors.admin).post(
        reverse("network:round_create", args=[actors.association.slug]),
        {"name": "Karta", "opens_on": "2026-01-01", "closes_on": "2099-12-31"},
    )
    assert response.status_code == 400 and "Det finns redan en omgång med det namnet." in response.content.decode()


def test_another_associations_user_gets_404_and_the_anonymous_visitor_is_sent_to_login(actors, two_rounds) -> None:
    from django.test import Client

    _first, second, _agencies = two_rounds
    slug = actors.association.slug
    outsider = actors.client_for(actors.outsider)
    for name, args in (
        ("network:home", [slug]),
        ("network:round_detail", [slug, second.pk]),
        ("network:round_compare", [slug, second.pk]),
        ("network:round_invite", [slug, second.pk]),
        ("network:round_export", [slug, second.pk, "csv"]),
    ):
        url = reverse(name, args=args)
        assert outsider.get(url).status_code == 404
        assert Client().get(url)["Location"].startswith("/konto/logga-in/")
        # Under the outsider's own slug, A's round is not found either.
        own = reverse(name, args=[actors.other_association.slug, *args[1:]])
        assert outsider.get(own).status_code in (200, 404)
        if name != "network:home":
            assert outsider.get(own).status_code == 404
