"""Paper answers: the codebook's columns, a valid import, and a bad file that writes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samverkan.measure import services
from samverkan.measure.models import Answer, Response
from samverkan.measure.tests.factories import core_instrument, open_campaign

pytestmark = pytest.mark.django_db


def _header() -> list[str]:
    out = StringIO()
    call_command("export_codebook", instrument="Integrerad samverkan", stdout=out)
    return out.getvalue().strip().splitlines()[-1].split(";")


def test_codebook_lists_fixed_columns_then_every_item_in_order() -> None:
    header = _header()
    assert header[:3] == ["grupp", "organisation", "datum"]
    assert header[3:] == list(core_instrument().items.order_by("position").values_list("code", flat=True))
    out = StringIO()
    call_command("export_codebook", instrument="Integrerad samverkan", format="csv", stdout=out)
    assert out.getvalue().splitlines()[0] == "kolumn;fråga;typ;tillåtna värden"
    with pytest.raises(CommandError, match="finns inte"):
        call_command("export_codebook", instrument="Okänd enkät", stdout=StringIO())


def _write(path, rows: list[dict[str, str]], *, delimiter: str = ";", bom: bool = True) -> str:
    header = _header()
    lines = [delimiter.join(header)] + [delimiter.join(row.get(c, "") for c in header) for row in rows]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_valid_file_imports_every_row_as_paper(actors, tmp_path) -> None:
    campaign = open_campaign(actors.association, name="Papper", groups=("board", "staff"))
    agency = actors.association.agencies.first()
    rows = [
        {"grupp": "staff", "organisation": agency.name, "ring_team": "4", "strat_1": "5", "open_meaning": "Bra, tack"},
        {"grupp": "Styrelseledamot", "ring_team": "9", "ring_society": "2"},
        {"grupp": "board", "datum": timezone.localdate().isoformat(), "ring_personal": "3"},
    ]
    out = StringIO()
    call_command(
        "import_responses", _write(tmp_path / "ok.csv", rows), association="alfa", campaign="Papper", stdout=out
    )
    assert "3 pappersenkäter" in out.getvalue()
    responses = Response.objects.filter(campaign=campaign)
    assert responses.count() == 3 and all(r.paper for r in responses)
    assert sorted(responses.values_list("respondent_group", flat=True)) == ["board", "board", "staff"]
    team = Answer.objects.filter(response__campaign=campaign, item__code="ring_team")
    assert sorted(team.values_list("value", flat=True)) == [4, 9]
    assert Answer.objects.get(response__campaign=campaign, item__code="open_meaning").text == "Bra, tack"


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
    ]
    with pytest.raises(CommandError) as caught:
        call_command("import_responses", _write(tmp_path / "bad.csv", rows), association="alfa", campaign="Papper")
    message = str(caught.value)
    assert "ingenting har sparats" in message
    assert "Rad 3, kolumn ring_team" in message
    assert "Rad 4, kolumn grupp" in message
    assert "Rad 5, kolumn organisation" in message
    assert "Rad 6, kolumn datum" in message
    assert "Rad 7, kolumn strat_1" in message and "Rad 7, kolumn ring_society" in message
    assert "Rad 2," not in message
    assert Response.objects.count() == before
    assert not Response.objects.filter(campaign=campaign).exists()


def test_missing_and_unknown_columns_are_named(actors, tmp_path) -> None:
    open_campaign(actors.association, name="Papper")
    path = tmp_path / "cols.csv"
    path.write_text("grupp,ring_team,skostorlek\nstaff,3,42\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_responses", str(path), association="alfa", campaign="Papper")
    assert "skostorlek" in str(caught.value) and "ring_personal" in str(caught.value)


def test_closed_campaign_accepts_paper_and_comma_files_without_bom(actors, tmp_path) -> None:
    today = timezone.localdate()
    campaign = open_campaign(
        actors.association, name="Stängd", opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=10)
    )
    services.campaign_close(campaign=campaign, today=today - timedelta(days=10))
    path = _write(tmp_path / "comma.csv", [{"grupp": "staff", "ring_team": "2"}], delimiter=",", bom=False)
    call_command("import_responses", path, association="alfa", campaign="Stängd", stdout=StringIO())
    assert Response.objects.filter(campaign=campaign, paper=True).count() == 1


def test_unknown_campaign_or_association_is_a_clear_error(actors, tmp_path) -> None:
    path = _write(tmp_path / "x.csv", [{"grupp": "staff"}])
    with pytest.raises(CommandError, match="Mätomgången ”Finns ej” finns inte"):
        call_command("import_responses", path, association="alfa", campaign="Finns ej")
    with pytest.raises(CommandError, match="Förbundet ”nope” finns inte"):
        call_command("import_responses", path, association="nope", campaign="X")
