"""Paper answers: the codebook's columns, a valid import, and a bad file that writes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samverkan.measure import paper, services
from samverkan.measure.models import Answer, Response
from samverkan.measure.tests.factories import core_instrument, open_campaign

pytestmark = pytest.mark.django_db


def _run(*args: Any, **options: Any) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def _header(instrument: str = "Integrerad samverkan", **options: Any) -> list[str]:
    return _run("export_codebook", instrument=instrument, **options).strip().splitlines()[-1].split(";")


def _write(
    path: Path, rows: list[dict[str, str]], *, delimiter: str = ";", bom: bool = True, header: list[str] | None = None
) -> str:
    header = header or _header()
    lines = [delimiter.join(header)] + [delimiter.join(row.get(c, "") for c in header) for row in rows]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _import_error(path: str, campaign: str = "Papper", **options: Any) -> str:
    with pytest.raises(CommandError) as caught:
        _run("import_responses", path, association="alfa", campaign=campaign, **options)
    return str(caught.value)


# The codebook ----------------------------------------------------------------------------------------------------


def test_codebook_header_is_fixed_columns_then_every_item_code_in_order() -> None:
    header = _header()
    assert header[:3] == ["grupp", "organisation", "datum"]
    assert header[3:] == list(core_instrument().items.order_by("position").values_list("code", flat=True))
    assert header[3] == "ring_personal" and header[-1] == "open_meaning"
    assert _run("export_codebook", instrument="Integrerad samverkan", format="header").strip() == ";".join(header)


def test_codebook_text_and_csv_name_meaning_and_allowed_values() -> None:
    text = _run("export_codebook", instrument="Integrerad samverkan")
    assert "Arbetslaget: Var är vi i dag?" in text
    assert "1–5, 9 = vet ej" in text and "fritext" in text
    assert "board = Styrelseledamot" in text
    rows = _run("export_codebook", instrument="Deltagarenkät", format="csv").splitlines()
    assert rows[0] == "kolumn;fråga;typ;tillåtna värden"
    assert rows[4].startswith("delt_1;Mitt stöd planeras tillsammans med mig.;")
    assert "stämmer inte alls" in rows[4]
    assert [r.split(";")[0] for r in rows[1:4]] == ["grupp", "organisation", "datum"]


def test_codebook_of_an_associations_own_instrument_needs_the_association_and_picks_the_newest(actors) -> None:
    own = services.instrument_copy(association=actors.association, source=core_instrument(), name="Alfas enkät")
    services.item_add(instrument=own, kind="choice", text="Hur fick du enkäten?", options=["Post", "Möte"])
    open_campaign(actors.association, name="Första", instrument=own)  # freezes version 1
    own.refresh_from_db()
    newer, _item = services.item_add(instrument=own, kind="text", text="Något mer?")
    assert newer.version == 2

    with pytest.raises(CommandError, match="kräver --association"):
        _run("export_codebook", instrument="Alfas enkät")
    latest = _header("Alfas enkät", association="alfa")
    assert latest[-2:] == ["egen_1", "egen_2"]
    first = _header("Alfas enkät", association="alfa", version=1)
    assert first[-1] == "egen_1" and "egen_2" not in first
    text = _run("export_codebook", instrument="Alfas enkät", association="alfa", version=1)
    assert "1 = Post, 2 = Möte" in text
    assert "Försäkringskassan" in text  # the association's member agencies are listed
    with pytest.raises(CommandError, match="version 7"):
        _run("export_codebook", instrument="Alfas enkät", association="alfa", version=7)
    with pytest.raises(CommandError, match="finns inte"):
        _run("export_codebook", instrument="Okänd enkät")
    # A core instrument is found with --association too.
    assert _header(association="alfa") == _header()


def test_codebook_for_a_campaign_lists_only_its_groups(actors) -> None:
    open_campaign(actors.association, name="Papper", groups=("staff",))
    text = _run("export_codebook", association="alfa", campaign="Papper")
    assert "staff = Insatspersonal" in text and "board =" not in text


# Importing -------------------------------------------------------------------------------------------------------


def test_valid_file_imports_every_row_as_paper(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("board", "staff"))
    agency = actors.association.agencies.get(name="Försäkringskassan")
    rows = [
        {"grupp": "staff", "organisation": agency.name, "ring_team": "4", "strat_1": "5", "open_meaning": "Bra, tack"},
        {"grupp": "Styrelseledamot", "ring_team": "9", "ring_society": "2"},
        {"grupp": "board", "datum": timezone.localdate().isoformat(), "ring_personal": "3"},
    ]
    before = Response.objects.count()
    out = _run("import_responses", _write(tmp_path / "ok.csv", rows), association="alfa", campaign="Papper")
    assert "3 pappersenkäter" in out
    services.responses_publish(campaign=campaign, everything=True)  # fewer than 5 a group: they wait till closing
    responses = Response.objects.filter(campaign=campaign)
    assert Response.objects.count() == before + 3
    assert responses.count() == 3 and all(r.paper for r in responses)
    assert sorted(responses.values_list("respondent_group", flat=True)) == ["board", "board", "staff"]
    assert responses.get(agency=agency).respondent_group == "staff"
    team = Answer.objects.filter(response__campaign=campaign, item__code="ring_team")
    assert sorted(team.values_list("value", flat=True)) == [4, 9]
    assert Answer.objects.get(response__campaign=campaign, item__code="strat_1").value == 5
    assert Answer.objects.get(response__campaign=campaign, item__code="open_meaning").text == "Bra, tack"
    assert Answer.objects.filter(response__campaign=campaign).count() == 6  # empty cells are not answers


def test_template_from_export_codebook_round_trips(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("staff",))
    template = tmp_path / "mall.csv"
    _run("export_codebook", instrument="Integrerad samverkan", format="header", out=str(template))
    assert template.read_bytes().startswith(b"\xef\xbb\xbfgrupp;organisation;datum;ring_personal;")
    cells = ["insatspersonal", "  testby   kommun ", "", "2", "3"]
    with template.open("a", encoding="utf-8") as file:
        file.write(";".join(cells + [""] * (len(_header()) - len(cells))) + "\n")
    _run("import_responses", str(template), association="alfa", campaign="Papper")
    services.responses_publish(campaign=campaign, everything=True)
    response = Response.objects.get(campaign=campaign)
    assert response.respondent_group == "staff" and response.paper
    assert response.agency.name == "Testby kommun"
    assert dict(response.answers.values_list("item__code", "value")) == {"ring_personal": 2, "ring_personal_target": 3}


def test_bad_file_reports_every_bad_row_and_column_and_writes_nothing(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("board", "staff"))
    before = Response.objects.count()
    rows = [
        {"grupp": "staff", "ring_team": "4"},  # row 2: fine
        {"grupp": "staff", "ring_team": "7"},  # row 3: bad value
        {"grupp": "kassör", "ring_team": "3"},  # row 4: unknown group
        {"grupp": "staff", "organisation": "Okänd kommun"},  # row 5: unknown organisation
        {"grupp": "staff", "datum": "2026-13-45"},  # row 6: bad date
        {"grupp": "board", "strat_1": "x", "ring_society": "0"},  # row 7: two bad columns
        {"grupp": "participants"},  # row 8: a group, but not one of this campaign's
        {"grupp": "staff", "datum": (campaign.opens_on - timedelta(days=5)).isoformat()},  # row 9: before the period
        {"ring_team": "3"},  # row 10: no group
    ]
    message = _import_error(_write(tmp_path / "bad.csv", rows))
    assert "ingenting har sparats" in message
    assert "Rad 3, kolumn ring_team: Ogiltigt svar: 7. Tillåtet är 1–5 eller 9 (vet ej)." in message
    assert "Rad 4, kolumn grupp" in message and "kassör" in message
    assert "Rad 5, kolumn organisation" in message and "Okänd kommun" in message
    assert "Rad 6, kolumn datum" in message
    assert "Rad 7, kolumn strat_1" in message and "Rad 7, kolumn ring_society" in message
    assert "Rad 8, kolumn grupp" in message
    assert "Rad 9, kolumn datum" in message and "utanför" in message
    assert "Rad 10, kolumn grupp" in message
    assert "Rad 2," not in message
    assert "9 fel" in message
    assert Response.objects.count() == before
    assert not Response.objects.filter(campaign=campaign).exists()


def test_missing_unknown_and_duplicate_columns_are_named(actors, tmp_path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "cols.csv"
    path.write_text("grupp,ring_team,skostorlek\nstaff,3,42\n", encoding="utf-8")
    message = _import_error(str(path))
    assert "skostorlek" in message and "ring_personal" in message and "open_meaning" in message
    header = _header()
    path.write_text(";".join([*header, "ring_team"]) + "\n", encoding="utf-8")
    assert "flera gånger: ring_team" in _import_error(str(path))
    path.write_text(";".join(h for h in header if h != "grupp") + "\n", encoding="utf-8")
    assert "”grupp” saknas" in _import_error(str(path))
    assert not Response.objects.exists()


def test_a_row_with_too_few_cells_is_reported(actors, tmp_path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "short.csv"
    path.write_text(";".join(_header()) + "\nstaff;;;3\n\nstaff" + ";" * (len(_header()) - 1) + "\n", encoding="utf-8")
    message = _import_error(str(path))
    assert "Rad 2: raden har 4 kolumner" in message
    assert "Rad 4" not in message  # a full row after a blank line is fine
    assert not Response.objects.exists()


def test_a_failure_while_writing_rolls_back_every_row(actors, tmp_path, monkeypatch) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("staff",))
    real_submit = paper.response_submit
    calls: list[int] = []

    def failing_submit(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise services.SubmissionError("Databasen svarade inte.")
        return real_submit(**kwargs)

    monkeypatch.setattr(paper, "response_submit", failing_submit)
    rows = [{"grupp": "staff", "ring_team": str(v)} for v in (1, 2, 3)]
    message = _import_error(_write(tmp_path / "ok.csv", rows))
    assert "Rad 4 kunde inte sparas" in message
    assert len(calls) == 3
    assert not Response.objects.filter(campaign=campaign).exists()


def test_dry_run_checks_without_writing(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("staff",))
    path = _write(tmp_path / "ok.csv", [{"grupp": "staff", "ring_team": "2"}] * 2)
    out = _run("import_responses", path, association="alfa", campaign="Papper", dry_run=True)
    assert "2 pappersenkäter" in out and "Inget sparades" in out
    assert not Response.objects.filter(campaign=campaign).exists()


def test_closed_campaign_accepts_paper_and_comma_files_without_bom(actors, tmp_path) -> None:
    today = timezone.localdate()
    campaign = open_campaign(
        actors.association, name="Stängd", opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=10)
    )
    services.campaign_close(campaign=campaign, today=today - timedelta(days=10))
    dated = (today - timedelta(days=20)).isoformat()
    path = _write(
        tmp_path / "comma.csv",
        [{"grupp": "staff", "ring_team": "2"}, {"grupp": "board", "datum": dated, "open_meaning": "Ja, absolut"}],
        delimiter=",",
        bom=False,
    )
    # A comma inside a free-text answer must be quoted in a comma file.
    text = Path(path).read_text(encoding="utf-8").replace("Ja, absolut", '"Ja, absolut"')
    Path(path).write_text(text, encoding="utf-8")
    out = _run("import_responses", path, association="alfa", campaign="Stängd")
    assert "2 pappersenkäter" in out
    responses = Response.objects.filter(campaign=campaign, paper=True)
    assert responses.count() == 2
    # Without a date a late paper answer gets the campaign's last day, so it stays inside the period.
    assert sorted(r.submitted_on for r in responses) == [today - timedelta(days=20), campaign.closes_on]
    assert Answer.objects.get(response__campaign=campaign, item__code="open_meaning").text == "Ja, absolut"


def test_bom_semicolon_file_is_read_and_a_future_date_refused(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("staff",))
    path = tmp_path / "bom.csv"
    header = _header()
    path.write_bytes(("\ufeff" + ";".join(header) + "\r\nstaff;;;5\r\n").encode("utf-8"))
    path.write_bytes(path.read_bytes().replace(b"5\r\n", b"5" + b";" * (len(header) - 4) + b"\r\n"))
    _run("import_responses", str(path), association="alfa", campaign="Papper")
    services.responses_publish(campaign=campaign, everything=True)
    assert Answer.objects.get(response__campaign=campaign, item__code="ring_personal").value == 5

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = _write(tmp_path / "future.csv", [{"grupp": "staff", "datum": tomorrow}])
    assert "Rad 2, kolumn datum" in _import_error(future) and "framtiden" in _import_error(future)
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_unknown_campaign_or_association_is_a_clear_error(actors, tmp_path) -> None:
    path = _write(tmp_path / "x.csv", [{"grupp": "staff"}])
    with pytest.raises(CommandError, match="Mätomgången ”Finns ej” finns inte"):
        _run("import_responses", path, association="alfa", campaign="Finns ej")
    with pytest.raises(CommandError, match="Förbundet ”nope” finns inte"):
        _run("import_responses", path, association="nope", campaign="X")
    open_campaign(actors.association, name="Papper")
    with pytest.raises(CommandError, match="finns inte"):
        _run("import_responses", str(tmp_path / "saknas.csv"), association="alfa", campaign="Papper")
