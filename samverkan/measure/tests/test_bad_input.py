"""Bad input answers clearly and loses nothing (issue 8, "Trust"): never a 500, never a half-stored write."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from samverkan.common.errors import ServiceError
from samverkan.measure import services
from samverkan.measure.answers import agency_id_from_form, clean_answers, item_specs
from samverkan.measure.models import Campaign, CampaignLink, Instrument, Invitation, Item, Response
from samverkan.measure.tests.factories import campaign_form_data, core_instrument, open_campaign, ring_answers, submit
from samverkan.tenancy.services import api_token_create

pytestmark = pytest.mark.django_db


def _answer_form(client: Client, url: str) -> dict[str, str]:
    page = client.get(url).content.decode()
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
        "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page).group(1),
        "action": "submit",
    }


def _link(campaign: Campaign, group: str = "staff") -> str:
    return reverse("measure:answer_link", args=[campaign.links.get(respondent_group=group).token])


# 1. NUL and other C0 control characters --------------------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1f", "\x7f"], ids=repr)
def test_nul_in_free_text_answer_gives_a_swedish_error_not_500(actors: Any, character: str) -> None:
    campaign = open_campaign(actors.association)
    for value in (3, 4, 4, 5, 3):
        submit(campaign, "staff", ring_answers(value, open_meaning="Vi löser saker tillsammans."))
    client = Client(enforce_csrf_checks=True)
    url = _link(campaign)
    typed = f"Bra{character}samverkan"
    response = client.post(url, {**_answer_form(client, url), **ring_answers(4), "open_meaning": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert "inte kan sparas" in html and f"U+{ord(character):04X}" in html
    assert 'value="4"' in html and "checked" in html  # what was typed is kept
    assert Response.objects.filter(campaign=campaign).count() == 5
    # The responses export (XLSX refuses control characters) and the next request still work.
    analyst = actors.client_for(actors.analyst)
    export = analyst.get(reverse("measure:export", args=["alfa", campaign.pk, "svar", "xlsx"]))
    assert export.status_code == 200
    assert client.get(url).status_code == 200


def test_tab_newline_and_carriage_return_in_a_free_text_answer_are_kept() -> None:
    item = Item(code="open", kind="text", options=[])
    values, errors = clean_answers(item_specs([item]), {"open": "Rad ett\r\nRad\ttvå"})
    assert errors == {} and values == {"open": "Rad ett\r\nRad\ttvå"}


def test_control_character_in_item_text_gives_a_swedish_form_error(actors: Any) -> None:
    instrument = services.instrument_create(association=actors.association, name="Egen", kind="staff")
    client = actors.client_for(actors.admin)
    url = reverse("measure:item_add", args=["alfa", instrument.pk])
    for field, data in (
        ("text", {"kind": "text", "text": "Hur\x00 går det?"}),
        ("options", {"kind": "choice", "text": "Välj", "options": "Ja\nNej\x07"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, field
        assert "inte kan sparas" in response.content.decode()
    assert not Item.objects.filter(instrument__association=actors.association).exists()
    with pytest.raises(ServiceError) as refused:
        services.item_add(instrument=instrument, kind="text", text="Hur\x1b går det?")
    assert "text" in refused.value.message_dict


def test_control_character_in_a_campaign_or_instrument_name_gives_a_swedish_form_error(actors: Any) -> None:
    client = actors.client_for(actors.admin)
    created = client.post(reverse("measure:campaign_create", args=["alfa"]), campaign_form_data(name="Höst\x00en"))
    assert created.status_code == 400 and "nolltecken" in created.content.decode()
    named = client.post(reverse("measure:instrument_list", args=["alfa"]), {"name": "Egen\x01enkät"})
    assert named.status_code == 400 and "styrtecken" in named.content.decode()
    assert not Campaign.objects.exists()
    assert not Instrument.objects.filter(association=actors.association).exists()


def test_nul_in_a_paper_import_row_is_reported_by_row_and_column_and_nothing_is_stored(
    actors: Any, tmp_path: Path
) -> None:
    open_campaign(actors.association, name="Papper")
    rows = [_row("staff", "3", "Bra"), _row("staff", "4", "Bra\x00men"), _row("staff\x01", "4", "Bra")]
    path = tmp_path / "papper.csv"
    path.write_text(_header() + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = _import_error(path)
    assert "Rad 3, kolumn open_meaning: Texten innehåller ett nolltecken (U+0000)" in message
    assert "Rad 4, kolumn grupp: Texten innehåller ett osynligt styrtecken (U+0001)" in message
    assert "\x00" not in message and "\x01" not in message
    assert Response.objects.count() == 0


# 2. organisation=² on the public answer form ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "¹²", "٣", "３", "1_0", "-1", "+3", " ", "", "99999999999999999999", "1\x00"])
def test_agency_id_from_form_takes_only_plain_ascii_digits(value: str) -> None:
    assert agency_id_from_form(value) is None


def test_agency_id_from_form_reads_an_id() -> None:
    assert agency_id_from_form("12") == 12 and agency_id_from_form(" 7 ") == 7


def test_superscript_digit_as_organisation_on_the_answer_form_is_ignored_not_500(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    url = _link(campaign)
    response = client.post(url, {**_answer_form(client, url), **ring_answers(4), "organisation": "²"})
    assert response.status_code == 302
    services.responses_publish(campaign=campaign, everything=True)
    stored = Response.objects.get(campaign=campaign)
    assert stored.agency_id is None


# 3. The same respondent group twice -----------------------------------------------------------------------------


def test_same_respondent_group_twice_in_the_campaign_form_makes_one_link_not_500(actors: Any) -> None:
    client = actors.client_for(actors.admin)
    response = client.post(
        reverse("measure:campaign_create", args=["alfa"]), campaign_form_data(respondent_groups=["staff", "staff"])
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.respondent_groups == ["staff"]
    assert list(CampaignLink.objects.filter(campaign=campaign).values_list("respondent_group", flat=True)) == ["staff"]


def test_campaign_service_refuses_a_repeated_or_unknown_respondent_group(actors: Any) -> None:
    for groups in (["staff", "staff"], ["staff", "mystery"], []):
        with pytest.raises(ServiceError) as refused:
            open_campaign(actors.association, name=f"Grupper {groups}", groups=tuple(groups))
        assert "respondent_groups" in refused.value.message_dict
    assert not Campaign.objects.exists()


# 4. An instrument name already used ------------------------------------------------------------------------------


def test_instrument_name_already_used_gives_a_swedish_form_error_not_500(actors: Any) -> None:
    client = actors.client_for(actors.admin)
    url = reverse("measure:instrument_list", args=["alfa"])
    assert client.post(url, {"name": "Vår enkät"}).status_code == 302
    again = client.post(url, {"name": "Vår enkät"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Det finns redan en enkät med det namnet." in html and 'value="Vår enkät"' in html
    core = client.post(url, {"name": core_instrument().name})
    assert core.status_code == 400 and "Det finns redan en enkät med det namnet." in core.content.decode()
    assert Instrument.objects.filter(association=actors.association).count() == 1


def test_copying_under_a_name_already_used_is_refused_by_the_service(actors: Any) -> None:
    services.instrument_create(association=actors.association, name="Vår enkät", kind="staff")
    with pytest.raises(ServiceError) as refused:
        services.instrument_copy(association=actors.association, source=core_instrument(), name="Vår enkät")
    assert refused.value.message_dict == {"name": ["Det finns redan en enkät med det namnet."]}
    response = actors.client_for(actors.admin).post(
        reverse("measure:instrument_copy", args=["alfa", core_instrument().pk]), {"name": "Vår enkät"}
    )
    assert response.status_code == 400 and "Det finns redan en enkät med det namnet." in response.content.decode()


# 5. API offset and limit above 2^63 ------------------------------------------------------------------------------


@pytest.fixture
def api(actors: Any) -> Client:
    _, token = api_token_create(association=actors.association, name="Alfa")
    return Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (f"offset={2**63}", "offset får vara högst 1000000000"),
        (f"offset={2**64 + 5}", "offset får vara högst 1000000000"),
        (f"offset={2**63 - 1}", "offset får vara högst 1000000000"),
        (f"limit={2**63}", "limit får vara högst 100"),
        ("limit=0", "limit måste vara minst 1"),
        ("offset=-1", "offset måste vara minst 0"),
        ("offset=²", "offset måste vara ett heltal"),
    ],
)
def test_api_offset_or_limit_above_2_63_is_400_with_a_swedish_detail(
    api: Client, actors: Any, query: str, detail: str
) -> None:
    open_campaign(actors.association)
    response = api.get(f"/api/measure/campaigns?{query}")
    assert response.status_code == 400
    assert response.json()["detail"] == f"Ogiltig begäran: {detail}."


def test_api_campaign_id_above_2_63_is_400_with_a_swedish_detail(api: Client, actors: Any) -> None:
    response = api.get(f"/api/measure/campaigns/{2**64}/results")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Ogiltig begäran: campaign_id får vara högst")


def test_api_largest_allowed_offset_is_an_empty_page(api: Client, actors: Any) -> None:
    open_campaign(actors.association)
    response = api.get("/api/measure/campaigns?offset=1000000000&limit=100")
    assert response.status_code == 200 and response.json() == {"items": [], "count": 1}


# 6. The platform's minimum group size ----------------------------------------------------------------------------


def test_platform_min_group_size_above_the_campaigns_is_a_form_error_not_500(actors: Any, settings: Any) -> None:
    settings.SAMVERKAN_MIN_GROUP_SIZE = 6
    client = actors.client_for(actors.admin)
    page = client.get(reverse("measure:campaign_create", args=["alfa"])).content.decode()
    assert "Lägst 6." in page and 'min="6"' in page
    response = client.post(reverse("measure:campaign_create", args=["alfa"]), campaign_form_data(min_group_size="4"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Minsta gruppstorlek får aldrig vara under 6." in html
    assert 'value="Mätning våren 2027"' in html
    assert not Campaign.objects.exists()


def test_campaign_services_enforce_the_platform_floor_for_the_minimum_group_size(actors: Any, settings: Any) -> None:
    campaign = open_campaign(actors.association, min_group_size=5)
    settings.SAMVERKAN_MIN_GROUP_SIZE = 6
    with pytest.raises(ServiceError) as refused:
        open_campaign(actors.association, name="För liten", min_group_size=4)
    assert refused.value.message_dict == {"min_group_size": ["Minsta gruppstorlek får aldrig vara under 6."]}
    with pytest.raises(ServiceError):
        services.campaign_update(
            campaign=campaign,
            name=campaign.name,
            respondent_groups=campaign.respondent_groups,
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
            min_group_size=5,
        )
    campaign.refresh_from_db()
    assert campaign.min_group_size == 5 and Campaign.objects.count() == 1


# 7. and 8. Paper import: an unclosed quote, a field over 131,072 characters --------------------------------------


def _import_error(path: Path, campaign: str = "Papper") -> str:
    with pytest.raises(CommandError) as caught:
        call_command("import_responses", str(path), association="alfa", campaign=campaign, stdout=StringIO())
    return str(caught.value)


def _header() -> str:
    """The paper file's header with ring_personal and open_meaning last, so rows can be written short."""
    codes = [item.code for item in core_instrument().items.order_by("position")]
    first = [c for c in codes if c not in ("ring_personal", "open_meaning")]
    return ";".join(["grupp", "organisation", "datum", *first, "ring_personal", "open_meaning"])


def _row(group: str, value: str, text: str) -> str:
    return ";".join([group, "", "", *[""] * (len(_header().split(";")) - 5), value, text])


def test_unclosed_quote_at_the_end_of_import_responses_is_reported_not_merged(actors: Any, tmp_path: Path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "papper.csv"
    rows = [_row("staff", "3", '"Bra'), _row("staff", "4", "Också bra"), _row("staff", "5", "Fint")]
    path.write_text(_header() + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = _import_error(path)
    assert "Rad 2:" in message and "citattecken" in message and "stängs aldrig" in message
    assert Response.objects.count() == 0


def test_unclosed_quote_in_import_responses_is_reported_with_its_row_not_merged(actors: Any, tmp_path: Path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "papper.csv"
    # Row 3 opens a quote that only the stray quote on row 5 closes: rows 3–5 read as one row.
    rows = [
        _row("staff", "3", "Bra"),
        _row("staff", "4", '"Bra'),
        _row("staff", "4", "Också bra"),
        _row("staff", "5", 'Fint"'),
        _row("staff", "2", "Sist"),
    ]
    path.write_text(_header() + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = _import_error(path)
    assert "Rad 3, kolumn open_meaning: ett citattecken" in message and "textraderna 3–5" in message
    assert Response.objects.count() == 0


def test_a_quoted_line_break_in_a_free_text_cell_is_still_accepted(actors: Any, tmp_path: Path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "papper.csv"
    rows = [_row("staff", "3", '"Rad ett\nrad två; med semikolon"'), _row("staff", "4", "Bra")]
    path.write_text(_header() + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_responses", str(path), association="alfa", campaign="Papper", stdout=StringIO())
    services.responses_publish(campaign=Campaign.objects.get(name="Papper"), everything=True)
    assert Response.objects.count() == 2


def test_field_over_131072_characters_in_paper_import_is_a_clear_error_and_stores_nothing(
    actors: Any, tmp_path: Path
) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "papper.csv"
    rows = [_row("staff", "3", "Bra"), _row("staff", "4", "x" * 131_073)]
    path.write_text(_header() + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = _import_error(path)
    assert "Rad 3:" in message and "en cell är längre än 131\u00a0072 tecken" in message
    assert Response.objects.count() == 0


def test_free_text_answer_over_131072_characters_is_a_swedish_error_not_500(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True)
    url = _link(campaign)
    response = client.post(url, {**_answer_form(client, url), **ring_answers(4), "open_meaning": "x" * 131_073})
    assert response.status_code == 400 and "Svaret är för långt" in response.content.decode()
    assert Response.objects.count() == 0


# 12. and 13. The invitation list ---------------------------------------------------------------------------------


def _invite(actors: Any, campaign: Campaign, **data: Any) -> Any:
    return actors.client_for(actors.admin).post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]), {"respondent_group": "board", **data}
    )


def test_rejected_invitation_list_keeps_the_links_and_qr_codes(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    response = _invite(actors, campaign, emails="ok@kommun.se\ninte-en-adress")
    html = response.content.decode()
    assert response.status_code == 400
    for link in campaign.links.all():
        assert link.token in html
        assert reverse("measure:link_qr", args=["alfa", campaign.pk, link.respondent_group]) in html
    assert "inte-en-adress" in html and Invitation.objects.count() == 0


def test_error_summary_lists_each_field_error_with_a_link_to_the_field(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    html = _invite(actors, campaign, emails="inte-en-adress").content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_emails">' in summary and "inte-en-adress" in summary
    form = actors.client_for(actors.admin).post(
        reverse("measure:campaign_create", args=["alfa"]), campaign_form_data(name="", respondent_groups=[])
    )
    html = form.content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_name">' in summary and '<a href="#id_respondent_groups">' in summary
    assert 'id="id_respondent_groups"' in html  # the link's target


def test_invitation_file_saved_by_swedish_excel_in_cp1252_is_accepted(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    data = "E-post\r\nasa.oberg@höör.se\r\n".encode("cp1252")
    response = _invite(actors, campaign, file=SimpleUploadedFile("adresser.csv", data, content_type="text/csv"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["asa.oberg@höör.se"]


def test_invitation_file_in_utf8_with_or_without_bom_is_accepted(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    for number, prefix in enumerate((b"", b"\xef\xbb\xbf")):
        data = prefix + f"e-post\nbjorn{number}@höör.se\n".encode()
        assert _invite(actors, campaign, file=SimpleUploadedFile("a.csv", data)).status_code == 302
    assert Invitation.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("e-post\nåsa@kommun.se\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "Excel-arbetsbok"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x8d", "går inte att läsa som text"),
    ],
    ids=["utf-16", "xlsx", "binary"],
)
def test_invitation_file_in_another_encoding_is_a_clear_swedish_error(actors: Any, data: bytes, message: str) -> None:
    campaign = open_campaign(actors.association)
    response = _invite(actors, campaign, file=SimpleUploadedFile("a.csv", data))
    assert response.status_code == 400 and message in response.content.decode()
    assert Invitation.objects.count() == 0


def test_invitation_file_with_a_cell_over_131072_characters_is_a_form_error_not_500(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    data = b'e-post\n"' + b"a" * 131_073 + b'"\n'
    response = _invite(actors, campaign, file=SimpleUploadedFile("a.csv", data))
    assert response.status_code == 400 and "kan inte läsas som CSV" in response.content.decode()


def test_nul_in_an_autosaved_draft_is_not_a_500(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    url = _link(campaign)
    form = {**_answer_form(client, url), "action": "autosave"}
    for field in ("open_meaning", "organisation"):
        response = client.post(url, {**form, field: "a\x00b"}, HTTP_HX_REQUEST="true")
        assert response.status_code < 500, field
