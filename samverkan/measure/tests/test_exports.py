"""Exports, the PDF report and export_results: the same suppression everywhere (the API: test_api.py)."""

from __future__ import annotations

import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from samverkan.measure.export_views import report_html
from samverkan.measure.results import campaign_results
from samverkan.measure.tests.factories import PUBLISHED_CELL_FIELDS, open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


def _visible(results) -> list[str]:
    return [g.group for g in results.groups if not g.suppressed]


SECRET_TEXT = "Bara styrelsen vet detta"


@pytest.fixture
def campaign(actors):
    """Staff 20 (shown), board 3 (below the minimum), managers 8 (hidden as the complement)."""
    campaign = open_campaign(actors.association, name="Hösten", groups=("board", "managers", "staff"))
    for i in range(20):
        submit(campaign, "staff", ring_answers(3 + i % 3, open_meaning=f"Personal {i}"))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1, target=1, open_meaning=SECRET_TEXT))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(5))
    return campaign


def _get(client: Client, campaign, kind: str, fmt: str):
    return client.get(reverse("measure:export", args=["alfa", campaign.pk, kind, fmt]))


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_results_exports_hide_small_and_complementary_groups_in_every_format(actors, campaign) -> None:
    client = actors.client_for(actors.analyst)
    csv_text = _body(_get(client, campaign, "resultat", "csv")).decode("utf-8-sig")
    team_rows = [line.split(";") for line in csv_text.splitlines() if line.startswith("niva;Arbetslaget;team;")]
    by_group = {row[4]: row for row in team_rows}
    assert by_group["board"][5] == "Ja" and by_group["board"][6] == "" and by_group["board"][8] == ""
    assert by_group["managers"][5] == "Ja" and by_group["managers"][6] == ""
    assert by_group["staff"][6] == "20" and by_group["all"][6] == "31"

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_body(_get(client, campaign, "resultat", "xlsx"))))
    sheet = workbook["Nivåer"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for row in rows:
        if row[3] in ("board", "managers"):
            assert row[4] == "Ja" and all(v is None for v in row[5:])

    import pyreadstat

    sav = tempfile_with(_body(_get(client, campaign, "resultat", "sav")))
    frame, meta = pyreadstat.read_sav(sav)
    hidden = frame[frame["group"].isin(["board", "managers"])]
    assert len(hidden) == 8 and hidden["n"].isna().all() and hidden["mean"].isna().all()
    assert meta.variable_value_labels["ring"][3.0].startswith("Ring 3")
    assert meta.column_names_to_labels["mean"] == "Medelvärde"

    payload = json.loads(_body(_get(client, campaign, "resultat", "json")))
    for level in payload["levels"]:
        cells = {c["group"]: c for c in level["groups"]}
        assert cells["board"]["n"] is None and cells["managers"]["mean"] is None
        assert cells["staff"]["n"] == 20


def tempfile_with(data: bytes) -> str:
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=".sav", delete=False)  # noqa: SIM115
    handle.write(data)
    handle.close()
    return handle.name


def test_response_export_is_anonymous_and_pools_hidden_groups(actors, campaign) -> None:
    client = actors.client_for(actors.analyst)
    response = _get(client, campaign, "svar", "csv")
    assert response.streaming
    lines = _body(response).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:2] == ["grupp", "grupp_kod"] and "ring_team" in header
    assert not {"datum", "date", "submitted_on", "organisation", "agency", "id"} & set(header)
    groups = [line.split(";")[1] for line in lines[1:]]
    assert groups.count("dold") == 11 and groups.count("staff") == 20
    assert "board" not in groups and "managers" not in groups
    assert SECRET_TEXT not in "\n".join(lines)
    assert "Personal 3" in "\n".join(lines)

    import pyreadstat

    frame, meta = pyreadstat.read_sav(tempfile_with(_body(_get(client, campaign, "svar", "sav"))))
    assert len(frame) == 31 and set(frame["grupp"]) == {"dold", "staff"}
    assert meta.variable_value_labels["ring_team"][9.0] == "Vet ej"
    assert "Arbetslaget" in meta.column_names_to_labels["ring_team"]

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_body(_get(client, campaign, "svar", "xlsx"))))
    assert workbook["Svar"].max_row == 32
    assert SECRET_TEXT not in str([c.value for row in workbook["Svar"].iter_rows() for c in row])


def test_nothing_is_exported_while_the_total_is_below_the_minimum(actors) -> None:
    small = open_campaign(actors.association, name="Liten")
    for _ in range(3):
        submit(small, "staff", ring_answers(2))
    lines = _body(_get(actors.client_for(actors.analyst), small, "svar", "csv")).decode("utf-8-sig").splitlines()
    assert len(lines) == 1  # header only


def test_pdf_report_is_a_pdf_with_picture_tables_and_only_visible_free_text(actors, campaign) -> None:
    response = actors.client_for(actors.analyst).get(reverse("measure:report_pdf", args=["alfa", campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = report_html(campaign_results(campaign=campaign))
    assert "Hösten" in html and "data:image/svg+xml;base64," in html
    assert "Personal 7" in html and SECRET_TEXT not in html
    assert "dold" in html


def test_exports_need_the_analyst_role_and_stay_within_the_association(actors, campaign) -> None:
    assert _get(actors.client_for(actors.member), campaign, "resultat", "csv").status_code == 403
    assert (
        actors.client_for(actors.member).get(reverse("measure:report_pdf", args=["alfa", campaign.pk])).status_code
        == 403
    )
    outsider = actors.client_for(actors.outsider)
    assert outsider.get(reverse("measure:export", args=["beta", campaign.pk, "resultat", "csv"])).status_code == 404
    assert outsider.get(reverse("measure:report_pdf", args=["beta", campaign.pk])).status_code == 404
    anonymous = Client().get(reverse("measure:export", args=["alfa", campaign.pk, "svar", "csv"]))
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    assert _get(actors.client_for(actors.analyst), campaign, "svar", "json").status_code == 404
    assert _get(actors.client_for(actors.analyst), campaign, "annat", "csv").status_code == 404
    assert _get(actors.client_for(actors.analyst), campaign, "resultat", "pdf").status_code == 404
    other = open_campaign(actors.other_association, name="Betas")
    assert (
        actors.client_for(actors.analyst)
        .get(reverse("measure:export", args=["alfa", other.pk, "resultat", "json"]))
        .status_code
        == 404
    )


def test_export_results_command_has_the_published_fields(actors, campaign, tmp_path) -> None:
    out = StringIO()
    call_command("export_results", association="alfa", campaign="Hösten", format="json", stdout=out)
    payload = json.loads(out.getvalue())
    keys = PUBLISHED_CELL_FIELDS
    assert len(payload["levels"]) == 4
    for level in payload["levels"]:
        cells = {c["group"]: c for c in level["groups"]}
        assert set(cells) == {"board", "managers", "staff", "all"}
        for cell in cells.values():
            assert keys <= set(cell)
        assert cells["board"]["n"] is None and cells["board"]["mean"] is None and cells["board"]["suppressed"]
        assert cells["staff"]["n"] == 20
    for fmt in ("csv", "xlsx", "sav"):
        target = tmp_path / f"ut.{fmt}"
        call_command("export_results", association="alfa", campaign="Hösten", format=fmt, out=str(target))
        assert target.stat().st_size > 100
    assert (tmp_path / "ut.csv").read_bytes().startswith("\ufefftable;level;level_code;group".encode())
    with pytest.raises(CommandError, match="finns inte"):
        call_command("export_results", association="alfa", campaign="Saknas", format="json")
    with pytest.raises(CommandError, match="--out"):
        call_command("export_results", association="alfa", campaign="Hösten", format="xlsx")


def test_complementary_suppression_hides_two_of_twenty_three_and_eight(actors, campaign) -> None:
    results = campaign_results(campaign=campaign)
    assert {g.group: g.suppressed for g in results.groups} == {"board": True, "managers": True, "staff": False}
    assert results.visible_text_groups == ["staff"]


def test_results_csv_is_swedish_excel_friendly_and_xlsx_has_bold_frozen_headers(actors, campaign) -> None:
    client = actors.client_for(actors.admin)  # admin ranks above analyst
    response = _get(client, campaign, "resultat", "csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    raw = _body(response)
    assert raw.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:7] == ["table", "level", "level_code", "group", "group_code", "suppressed", "n"]
    staff = next(line.split(";") for line in lines if line.startswith("niva;Jag (personligen);personal;Insats"))
    assert staff[8] == "3,95"  # decimal comma
    assert any(line.startswith("kannetecken;") for line in lines) or not campaign_results(campaign=campaign).hallmarks

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_body(_get(client, campaign, "resultat", "xlsx"))))
    assert workbook.sheetnames == ["Nivåer", "Kännetecken"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
    assert workbook["Nivåer"]["F1"].value == "Antal svar utom vet ej"


def test_response_rows_do_not_follow_submission_order_and_nine_is_user_missing(actors, campaign) -> None:
    client = actors.client_for(actors.analyst)
    lines = _body(_get(client, campaign, "svar", "csv")).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    team = header.index("ring_team")
    staff_values = [line.split(";")[team] for line in lines[1:] if line.split(";")[1] == "staff"]
    submitted = [str(3 + i % 3) for i in range(20)]
    assert sorted(staff_values) == sorted(submitted) and staff_values != submitted
    assert [line.split(";")[1] for line in lines[1:]] == sorted(line.split(";")[1] for line in lines[1:])

    import pyreadstat

    path = tempfile_with(_body(_get(client, campaign, "svar", "sav")))
    frame, meta = pyreadstat.read_sav(path, user_missing=True)
    assert 9 in [r["lo"] for r in meta.missing_ranges["ring_team"]]
    assert meta.variable_value_labels["ring_team"][1.0].startswith("1 = ")
    assert "Vet ej" in meta.variable_value_labels["ring_team"].values()
    assert set(frame.columns) == set(header) - {"grupp_kod"}


def test_pdf_text_shows_the_campaign_and_dashes_for_hidden_groups(actors, campaign) -> None:
    import re
    import shutil
    import subprocess

    html = report_html(campaign_results(campaign=campaign))
    for label in ("Styrelseledamot", "Chef i samverkan"):
        for row in re.findall(rf"<th>{label}</th>(.*?)</tr>", html, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            assert cells and all(c.strip() == "–" for c in cells)
    assert "dold: färre än 5 svar" in html
    assert "Tre ringar" in html and "Jag (personligen): medelvärde" in html

    pdf = actors.client_for(actors.analyst).get(reverse("measure:report_pdf", args=["alfa", campaign.pk])).content
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Hösten" in text and "Personal 3" in text and SECRET_TEXT not in text


def test_pdf_of_a_too_small_campaign_shows_no_figures(actors) -> None:
    small = open_campaign(actors.association, name="Liten")
    for _ in range(3):
        submit(small, "staff", ring_answers(2, open_meaning="Hemligt"))
    html = report_html(campaign_results(campaign=small))
    assert "Liten" in html and "Hemligt" not in html and "data:image/svg+xml" not in html
    assert "Resultaten visas när" in html


def test_free_text_that_looks_like_a_formula_stays_text(actors) -> None:
    campaign = open_campaign(actors.association, name="Formel", groups=("staff",))
    for i in range(6):
        submit(campaign, "staff", ring_answers(3, open_meaning=f'=HYPERLINK("http://x.se/{i}")'))
    client = actors.client_for(actors.analyst)
    text = _body(_get(client, campaign, "svar", "csv")).decode("utf-8-sig")
    assert "'=HYPERLINK" in text

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_body(_get(client, campaign, "svar", "xlsx"))))["Svar"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPERLINK")]
    assert len(cells) == 6 and all(c.data_type == "s" for c in cells)


# --- issue 8 "Trust": the export pools the campaign's one hidden set; labels and SPSS measures ------------


def test_response_export_pools_exactly_the_joint_hidden_set_and_names_no_group_hidden_at_a_level(actors) -> None:
    # Board 3, staff 6, managers 8; staff answered "vet ej" at the team level. Before, the export pooled only
    # the groups the respondent table hid (board + staff) and listed managers by name, though the team level
    # hid managers; now the one hidden set (here all three) is pooled, and so are their free texts blanked.
    campaign = open_campaign(actors.association, name="Pool", groups=("board", "staff", "managers"))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1, open_meaning=SECRET_TEXT))
    for _ in range(6):
        submit(campaign, "staff", ring_answers(3, ring_team=9, open_meaning="Personaltext"))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(5, open_meaning="Chefstext"))
    results = campaign_results(campaign=campaign)
    lines = _body(_get(actors.client_for(actors.analyst), campaign, "svar", "csv")).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    code = header.index("grupp_kod") if "grupp_kod" in header else header.index("grupp")
    codes = [line.split(";")[code] for line in lines[1:]]
    assert set(codes) == {"dold"} == {"dold", *_visible(results)}
    assert len(codes) == 17  # the pooled set has at least the minimum of rows
    body = "\n".join(lines)
    assert SECRET_TEXT not in body and "Chefstext" not in body and "Personaltext" not in body


def test_pooled_rows_below_the_minimum_are_left_out_of_the_response_export(actors) -> None:
    from samverkan.measure.models import Campaign

    campaign = open_campaign(actors.association, name="Okänd grupp", groups=("board", "staff", "managers"))
    for group, n in (("staff", 10), ("board", 6), ("managers", 2)):
        for _ in range(n):
            submit(campaign, group, ring_answers(3))
    # Managers is taken off the campaign after answering: its 2 rows would be the whole pooled set.
    Campaign.objects.filter(pk=campaign.pk).update(respondent_groups=["board", "staff"])
    campaign.refresh_from_db()
    lines = _body(_get(actors.client_for(actors.analyst), campaign, "svar", "csv")).decode("utf-8-sig").splitlines()
    rows = [line.split(";") for line in lines[1:]]
    assert not any("dold" in row[:2] for row in rows) and len(rows) == 16


def test_results_csv_and_xlsx_show_swedish_labels_and_keep_the_codes_beside_them(actors, campaign) -> None:
    client = actors.client_for(actors.analyst)
    lines = _body(_get(client, campaign, "resultat", "csv")).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    rows = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]
    assert "level_code" in header and "group_code" in header
    staff = next(r for r in rows if r["level_code"] == "personal" and r["group_code"] == "staff")
    assert staff["level"] == "Jag (personligen)" and staff["group"] == "Insatspersonal"
    assert staff["suppressed"] == "Nej" and staff["disagreement"] in ("Ja", "Nej")
    board = next(r for r in rows if r["level_code"] == "personal" and r["group_code"] == "board")
    assert board["suppressed"] == "Ja" and board["group"] == "Styrelseledamot"
    assert any(r["table"] == "kannetecken" and r["level"] == "Uttalad samordningsstrategi" for r in rows)

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_body(_get(client, campaign, "resultat", "xlsx"))))
    sheet = workbook["Nivåer"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Nivå", "Nivå (kod)", "Respondentgrupp", "Respondentgrupp (kod)", "Dold (för få svar)"]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert ("Jag (personligen)", "personal", "Insatspersonal", "staff", "Nej") in [v[:5] for v in values]
    assert all(v[4] in ("Ja", "Nej") for v in values)  # never 0/1 or TRUE/FALSE for a person to decode

    responses = load_workbook(io.BytesIO(_body(_get(client, campaign, "svar", "xlsx"))))["Svar"]
    first = [c.value for c in next(responses.iter_rows(min_row=2, max_row=2))]
    assert first[:2] in (["Dolda grupper (sammanslagna)", "dold"], ["Insatspersonal", "staff"])


def test_sav_files_mark_items_ordinal_figures_scale_and_label_level_and_group(actors, campaign) -> None:
    import pyreadstat

    client = actors.client_for(actors.analyst)
    _, meta = pyreadstat.read_sav(tempfile_with(_body(_get(client, campaign, "resultat", "sav"))))
    measure = meta.variable_measure
    for figure in ("n", "mean", "ci_low", "ci_high", "share_ring_1", "target_mean", "gap", "momentum"):
        assert measure[figure] == "scale", figure
    assert measure["ring"] == "ordinal"
    assert measure["level"] == measure["group"] == measure["suppressed"] == "nominal"
    assert meta.variable_value_labels["level"]["personal"] == "Jag (personligen)"
    assert meta.variable_value_labels["group"]["board"] == "Styrelseledamot"
    assert meta.variable_value_labels["group"]["all"] == "Alla"
    assert meta.variable_value_labels["suppressed"] == {0.0: "Nej", 1.0: "Ja"}

    _, meta = pyreadstat.read_sav(tempfile_with(_body(_get(client, campaign, "svar", "sav"))))
    measure = meta.variable_measure
    assert measure["ring_team"] == measure["ring_team_target"] == measure["strat_1"] == "ordinal"
    assert measure["grupp"] == "nominal" and measure["open_meaning"] == "nominal"
    assert meta.variable_value_labels["grupp"] == {"staff": "Insatspersonal", "dold": "Dolda grupper (sammanslagna)"}
