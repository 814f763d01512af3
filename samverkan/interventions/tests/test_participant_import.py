"""The participant import against the register: every broken file gives clear errors and writes nothing; a
valid file is written in one go; the same file twice changes nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import override_settings

from samverkan.interventions.models import (
    AnonymousParticipation,
    AssignmentRole,
    InterventionAssignment,
    Participant,
    ParticipantImport,
)
from samverkan.interventions.participant_import import (
    ImportCheck,
    ParticipantImportError,
    participant_import_check,
    participant_import_run,
)
from samverkan.interventions.tests.import_helpers import (
    BAD_PERSONNUMMER,
    OTHER_VALID_PERSONNUMMER,
    TODAY,
    VALID_PERSONNUMMER,
    anonymous_row,
    csv_file,
    intervention,
    nothing_written,
    row,
    stored,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def steget(actors: Any) -> Any:
    return intervention(actors.association)


def run(actors: Any, file: io.BytesIO, *, user: Any = None) -> ImportCheck:
    return participant_import_run(
        association=actors.association, file=file, user=user, purpose="Uppföljning", today=TODAY
    )


def refused(actors: Any, file: io.BytesIO, *, user: Any = None) -> list[str]:
    """The messages of a refused import, having checked that nothing was written."""
    with pytest.raises(ParticipantImportError) as error:
        run(actors, file, user=user)
    assert nothing_written()
    return error.value.check.messages()


# Broken files: clear errors, nothing written -----------------------------------------------------------------


def test_wrong_encoding_is_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    file = io.BytesIO("insats;kod\r\nSteget vidare;SV-1\r\n".encode("utf-16"))
    assert refused(actors, file) == [
        "Filen är sparad som UTF-16 (”Unicode-text”). Spara den som CSV UTF-8 (kommaavgränsad) "
        "eller CSV (semikolonavgränsad)."
    ]


def test_missing_columns_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    rows = [{k: v for k, v in row().items() if k != "försörjning_start"}]
    assert refused(actors, csv_file(rows)) == [
        "Rad 1: kolumner saknas i rubrikraden: försörjning_start. Ladda ner mallen för rätt rubriker."
    ]


def test_unknown_columns_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(namn="Anna Andersson")]))
    assert len(messages) == 1 and messages[0].startswith("Rad 1: okända kolumner i rubrikraden: namn.")
    assert "Anna" not in messages[0]


def test_bad_dates_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(startdatum="2026-13-01"), row(kod="SV-2", slutdatum="30/6 2026")]))
    assert messages == [
        "Rad 2, kolumn startdatum: ”2026-13-01” är inte ett datum (ÅÅÅÅ-MM-DD).",
        "Rad 3, kolumn slutdatum: ”30/6 2026” är inte ett datum (ÅÅÅÅ-MM-DD).",
    ]


def test_reversed_dates_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(startdatum="2026-06-30", slutdatum="2026-01-12")]))
    assert messages == [
        "Rad 2, kolumn slutdatum: slutdatumet 2026-01-12 ligger före startdatumet 2026-06-30. Har de bytt plats?"
    ]


def test_dates_outside_the_intervention_are_refused_and_nothing_written(actors: Any) -> None:
    intervention(actors.association, end=datetime.date(2026, 5, 31))
    messages = refused(actors, csv_file([row(startdatum="2024-12-01"), row(kod="SV-2")]))
    assert messages == [
        "Rad 2, kolumn startdatum: startdatumet 2024-12-01 ligger före insatsens start (2025-01-01, Steget vidare).",
        "Rad 2, kolumn slutdatum: slutdatumet 2026-06-30 ligger efter insatsens slut (2026-05-31, Steget vidare).",
        "Rad 3, kolumn slutdatum: slutdatumet 2026-06-30 ligger efter insatsens slut (2026-05-31, Steget vidare).",
    ]


def test_unknown_codes_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(kön="k", utbildning="högskola")]))
    assert messages == [
        "Rad 2, kolumn kön: ”k” är inte ett tillåtet värde. Tillåtna värden: kvinna, man, annat, uppgift saknas.",
        "Rad 2, kolumn utbildning: ”högskola” är inte ett tillåtet värde. Tillåtna värden: förgymnasial, "
        "gymnasial, eftergymnasial, okänd.",
    ]


def test_unknown_intervention_is_refused_with_the_list_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(insats="Okänd insats")]))
    assert messages == [
        "Rad 2, kolumn insats: ”Okänd insats” är inte en av förbundets insatser (namn eller kod). "
        "Insatser: Steget vidare (steg)."
    ]


def test_other_associations_intervention_is_unknown(actors: Any, steget: Any) -> None:
    intervention(actors.other_association, name="Betas insats", code="beta")
    messages = refused(actors, csv_file([row(insats="beta")]))
    assert "”beta” är inte en av förbundets insatser" in messages[0]


def test_duplicates_inside_the_file_are_refused_and_nothing_written(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(), row(kod="SV-2"), row(kod="sv-1", startdatum="2026-02-01")]))
    assert messages == ["Rad 4, kolumn kod: koden ”sv-1” i insatsen ”Steget vidare” finns redan på rad 2 i filen."]


def test_duplicate_against_the_register_is_refused_and_nothing_new_written(actors: Any, steget: Any) -> None:
    run(actors, csv_file([row()]))
    with pytest.raises(ParticipantImportError) as error:
        run(actors, csv_file([row(startdatum="2026-03-01"), row(kod="SV-2")]))
    assert error.value.check.messages() == [
        "Rad 2, kolumn kod: koden ”SV-1” finns redan i insatsen ”Steget vidare” för ett deltagande som började "
        "2026-01-12. Ett nytt deltagande behöver en ny kod."
    ]
    assert stored() == (1, 0, 1)


def test_same_personnummer_twice_in_the_file_is_refused(actors: Any, steget: Any) -> None:
    rows = [row(personnummer=VALID_PERSONNUMMER), row(kod="SV-2", personnummer=VALID_PERSONNUMMER.replace("-", ""))]
    messages = refused(actors, csv_file(rows))
    assert messages == [
        "Rad 3, kolumn personnummer: samma personnummer som på rad 2, i samma insats och under samma tid."
    ]
    assert all(VALID_PERSONNUMMER[:8] not in m for m in messages)


def test_same_personnummer_against_the_register_under_another_code_is_refused(actors: Any, steget: Any) -> None:
    run(actors, csv_file([row(personnummer=VALID_PERSONNUMMER)]))
    with pytest.raises(ParticipantImportError) as error:
        run(actors, csv_file([row(kod="SV-9", startdatum="2026-03-01", personnummer=VALID_PERSONNUMMER)]))
    assert error.value.check.messages() == [
        "Rad 2, kolumn personnummer: en deltagare med samma personnummer finns redan i insatsen ”Steget vidare” "
        "under koden ”SV-1”, under samma tid."
    ]
    assert stored() == (1, 0, 1)


def test_bad_personnummer_checksum_is_refused_without_showing_the_number(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(personnummer=BAD_PERSONNUMMER)]))
    assert messages == [
        "Rad 2, kolumn personnummer: ogiltigt personnummer på rad 2 (datum eller kontrollsiffra stämmer inte)."
    ]
    assert BAD_PERSONNUMMER not in repr(messages) and "0018" not in repr(messages)


@override_settings(SAMVERKAN_PARTICIPANT_IMPORT_MAX_BYTES=10_240)
def test_huge_file_is_refused_with_the_limit_and_nothing_written(actors: Any, steget: Any) -> None:
    rows = [row(kod=f"SV-{n}") for n in range(200)]
    messages = refused(actors, csv_file(rows))
    assert len(messages) == 1
    size = round(len(csv_file(rows).getvalue()) / 1024)
    assert messages == [
        f"Filen är för stor ({size} kB): högst 10 kB. Dela upp den i flera filer (till exempel per insats)."
    ]


def test_personal_data_without_consent_is_refused(actors: Any, steget: Any) -> None:
    messages = refused(actors, csv_file([row(samtycke="", personnummer=VALID_PERSONNUMMER)]))
    assert [m.split(":")[0] for m in messages] == [
        "Rad 2, kolumn kod",
        "Rad 2, kolumn utbildning",
        "Rad 2, kolumn avslutsorsak",
        "Rad 2, kolumn personnummer",
    ]
    assert "registreras därför anonymt" in messages[0]


def test_one_bad_row_at_the_end_of_many_writes_nothing(actors: Any, steget: Any) -> None:
    rows = [row(kod=f"SV-{n}") for n in range(3000)] + [anonymous_row()] + [row(kod="X", kön="?")]
    messages = refused(actors, csv_file(rows))
    assert messages == [
        "Rad 3003, kolumn kön: ”?” är inte ett tillåtet värde. Tillåtna värden: kvinna, man, annat, uppgift saknas."
    ]


def test_every_bad_row_is_reported_up_to_the_cap_then_counted(actors: Any, steget: Any) -> None:
    rows = [row(kod=f"SV-{n}", kön="?") for n in range(1005)]
    messages = refused(actors, csv_file(rows))
    assert len(messages) == 1001
    assert messages[-1] == "…och 5 fel till. Rätta felen ovan och läs in filen igen."


def test_file_with_only_a_header_is_refused(actors: Any, steget: Any) -> None:
    assert refused(actors, csv_file([], columns=list(row()))) == ["Filen har bara en rubrikrad och inga deltagare."]


# Valid files ---------------------------------------------------------------------------------------------------


def test_valid_cp1252_file_as_excel_saves_it_is_accepted(actors: Any, steget: Any) -> None:
    # Excel "CSV (semikolonavgränsad)" on Swedish Windows: Windows-1252, ";" and CRLF.
    file = csv_file([row(), row(kod="SV-2", kön="man", **{"försörjning_start": "Aktivitetsstöd"})], encoding="cp1252")
    assert b"\r\n" in file.getvalue() and "ö".encode("cp1252") in file.getvalue()
    check = run(actors, file)
    assert check.written and check.created == 2
    participant = Participant.objects.get(code="SV-2")
    assert participant.income_start == "aktivitetsstod" and participant.gender == "man"
    assert participant.consent_purpose == "Uppföljning" and participant.end == datetime.date(2026, 6, 30)


def test_xlsx_is_accepted(actors: Any, steget: Any) -> None:
    check = run(actors, xlsx_file([row(), anonymous_row()]))
    assert check.written and (check.created, check.anonymous) == (1, 1)
    assert stored() == (1, 1, 1)


def test_rows_without_consent_become_anonymous_counts(actors: Any, steget: Any) -> None:
    rows = [anonymous_row(), anonymous_row(), anonymous_row(slutdatum="", **{"försörjning_slut": ""})]
    run(actors, csv_file(rows))
    assert not Participant.objects.exists()
    counts = {
        (a.start_year, a.end_year, a.gender, a.income_start, a.income_end, a.count)
        for a in AnonymousParticipation.objects.all()
    }
    assert counts == {
        (2026, 2026, "kvinna", "forsorjningsstod", "lon", 2),
        (2026, None, "kvinna", "forsorjningsstod", "", 1),
    }


def test_same_file_twice_changes_nothing(actors: Any, steget: Any) -> None:
    rows = [row(), row(kod="SV-2", personnummer=VALID_PERSONNUMMER), anonymous_row()]
    first = run(actors, csv_file(rows))
    assert first.written and stored() == (2, 1, 1)
    before = list(Participant.objects.order_by("pk").values())
    second = run(actors, csv_file(rows))
    assert not second.written and second.already is not None
    assert stored() == (2, 1, 1)
    assert list(Participant.objects.order_by("pk").values()) == before


def test_same_rows_as_xlsx_in_another_order_change_nothing(actors: Any, steget: Any) -> None:
    rows = [row(), anonymous_row(), row(kod="SV-2")]
    run(actors, csv_file(rows))
    check = run(actors, xlsx_file(list(reversed(rows))))
    assert check.already is not None and stored() == (2, 1, 1)


def test_same_file_does_not_bring_back_a_participant_deleted_on_request(actors: Any, steget: Any) -> None:
    rows = [row(), row(kod="SV-2")]
    run(actors, csv_file(rows))
    Participant.objects.filter(code="SV-2").delete()
    check = run(actors, csv_file(rows))
    assert check.already is not None
    assert list(Participant.objects.values_list("code", flat=True)) == ["SV-1"]


def test_later_file_registers_the_end_of_a_participation(actors: Any, steget: Any) -> None:
    ongoing = row(slutdatum="", avslutsorsak="", **{"försörjning_slut": ""})
    run(actors, csv_file([ongoing, row(kod="SV-2")]))
    check = run(actors, csv_file([row(), row(kod="SV-2"), row(kod="SV-3")]))
    assert (check.created, check.updated, check.unchanged) == (1, 1, 1)
    assert check.updated_lines == [2]
    participant = Participant.objects.get(code="SV-1")
    assert participant.end == datetime.date(2026, 6, 30) and participant.end_reason == "arbete"
    assert ParticipantImport.objects.count() == 2


def test_personnummer_is_stored_only_as_its_keyed_hash(actors: Any, steget: Any) -> None:
    run(
        actors, csv_file([row(personnummer=VALID_PERSONNUMMER), row(kod="SV-2", personnummer=OTHER_VALID_PERSONNUMMER)])
    )
    values = [str(v) for p in Participant.objects.values() for v in p.values()]
    assert all("19900101" not in v and "900101" not in v for v in values)
    hashes = set(Participant.objects.values_list("identity_hash", flat=True))
    assert len(hashes) == 2 and all(len(h) == 64 for h in hashes)


def test_check_writes_nothing_and_counts_what_would_happen(actors: Any, steget: Any) -> None:
    check = participant_import_check(
        association=actors.association, file=csv_file([row(), anonymous_row()]), today=TODAY
    )
    assert check.ok and (check.rows, check.created, check.anonymous) == (2, 1, 1)
    assert [r.line for r in check.sample] == [2, 3]
    assert nothing_written()


# Who may import ------------------------------------------------------------------------------------------------


def test_deltagaransvarig_may_import_only_into_own_interventions(actors: Any, steget: Any) -> None:
    other = intervention(actors.association, name="Annan insats", code="annan")
    InterventionAssignment.objects.create(intervention=steget, user=actors.member, role=AssignmentRole.PARTICIPANTS)
    InterventionAssignment.objects.create(intervention=other, user=actors.member, role=AssignmentRole.INTERVENTION)
    messages = refused(actors, csv_file([row(), row(insats="annan", kod="A-1")]), user=actors.member)
    assert messages == [
        "Rad 3, kolumn insats: du är inte deltagaransvarig för insatsen ”Annan insats” och kan inte lägga till "
        "deltagare i den."
    ]
    check = run(actors, csv_file([row()]), user=actors.member)
    assert check.written
    assert Participant.objects.get().consent_recorded_by == actors.member


def test_admin_may_import_into_every_intervention(actors: Any, steget: Any) -> None:
    intervention(actors.association, name="Annan insats", code="annan")
    check = run(actors, csv_file([row(), row(insats="annan", kod="A-1")]), user=actors.admin)
    assert check.written and check.created == 2


def test_an_import_leaves_an_audit_entry_without_participant_data(actors: Any, steget: Any) -> None:
    from auditlog.models import LogEntry

    run(actors, csv_file([row(personnummer=VALID_PERSONNUMMER)]), user=actors.admin)
    entries = LogEntry.objects.get_for_model(ParticipantImport)
    assert entries.count() == 1
    text = str(entries.get().changes)
    assert "SV-1" not in text and "19900101" not in text and ParticipantImport.objects.get().digest not in text


def test_anonymous_counts_add_to_the_existing_counters(actors: Any, steget: Any) -> None:
    AnonymousParticipation.objects.create(
        intervention=steget,
        start_year=2026,
        end_year=2026,
        gender="kvinna",
        age_band="25-29",
        income_start="forsorjningsstod",
        income_end="lon",
        count=4,
    )
    run(actors, csv_file([anonymous_row(), anonymous_row(kön="man")]))
    counts = sorted(AnonymousParticipation.objects.values_list("gender", "count"))
    assert counts == [("kvinna", 5), ("man", 1)]


def test_identity_number_in_another_column_is_never_echoed_nor_stored(actors: Any, steget: Any) -> None:
    messages = refused(
        actors,
        csv_file(
            [row(samtycke=VALID_PERSONNUMMER), row(kod="19900101-0017"), row(kod="SV19900101", kön="199001010017")]
        ),
    )
    assert [m.split(":")[0] for m in messages] == [
        "Rad 2, kolumn samtycke",
        "Rad 3, kolumn kod",
        "Rad 4, kolumn kön",
        "Rad 4, kolumn kod",
    ]
    assert "liknar ett personnummer eller födelsedatum" in messages[1]
    assert all("900101" not in m for m in messages)


def test_ordinary_serial_codes_are_not_taken_for_birth_dates(actors: Any, steget: Any) -> None:
    check = run(actors, csv_file([row(kod="K0000101"), row(kod="2026-0001"), row(kod="SV-12345678")]))
    assert check.written and check.created == 3
