"""Reading a participant file without the database: encodings, separators, workbooks, headers and row checks."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook

from samverkan.interventions import import_rows
from samverkan.interventions.import_file import FileError, open_participant_file
from samverkan.interventions.import_rows import COLUMNS, ReadOutcome, RowChecker, checked_rows

TODAY = datetime.date(2026, 12, 1)
VALID_PERSONNUMMER = "19900101-0017"
BAD_PERSONNUMMER = "19900101-0018"

ROW = {
    "insats": "Steget vidare",
    "kod": "SV-1",
    "samtycke": "2026-01-10",
    "kön": "kvinna",
    "åldersgrupp": "25–29",
    "startdatum": "2026-01-12",
    "slutdatum": "2026-06-30",
    "utbildning": "gymnasial",
    "försörjning_start": "försörjningsstöd",
    "försörjning_slut": "lön/anställning",
    "avslutsorsak": "arbete",
    "status_90_dagar": "",
}


def csv_bytes(
    rows: list[dict[str, str]], *, delimiter: str = ";", encoding: str = "utf-8", newline: str = "\r\n"
) -> bytes:
    columns = list(rows[0]) if rows else list(ROW)
    lines = [delimiter.join(columns)] + [delimiter.join(row.get(c, "") for c in columns) for row in rows]
    return (newline.join(lines) + newline).encode(encoding)


def fake_hash(number: str) -> tuple[str, ...]:
    # Like identity.candidate_hashes: refuses a number whose date or check digit is wrong.
    if not import_rows.personnummer_is_valid(number):
        raise ValueError
    return ("hash",)


def read(data: bytes | io.BytesIO) -> tuple[list[Any], list[str], ReadOutcome]:
    file = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    outcome = ReadOutcome()
    rows, problems = [], []
    checker = RowChecker(today=TODAY, hash_personnummer=fake_hash)
    for row, row_problems in checked_rows(open_participant_file(file), checker, outcome):
        if row is not None:
            rows.append(row)
        problems += [str(p) for p in row_problems]
    problems = [str(p) for p in outcome.header_problems] + problems
    return rows, problems, outcome


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_each_separator_is_sniffed_from_the_header(delimiter: str) -> None:
    rows, problems, _outcome = read(csv_bytes([ROW], delimiter=delimiter))
    assert problems == []
    assert rows[0].code == "SV-1" and rows[0].income_start == "forsorjningsstod"


def test_utf8_with_bom_is_read() -> None:
    rows, problems, _outcome = read(b"\xef\xbb\xbf" + csv_bytes([ROW]))
    assert problems == [] and rows[0].gender == "kvinna"


def test_cp1252_as_excel_saves_it_is_read() -> None:
    data = csv_bytes([{**ROW, "försörjning_start": "Aktivitetsstöd"}], encoding="cp1252")
    assert "ö".encode("cp1252") in data and b"\r\n" in data
    rows, problems, _outcome = read(data)
    assert problems == [] and rows[0].income_start == "aktivitetsstod"


def test_utf16_file_is_refused_with_how_to_save_it() -> None:
    with pytest.raises(FileError, match="UTF-16"):
        open_participant_file(io.BytesIO("insats;kod\r\n".encode("utf-16")))


def test_bytes_that_are_no_text_encoding_are_refused() -> None:
    # 0x81 and 0x8D are undefined in Windows-1252 and invalid alone in UTF-8.
    with pytest.raises(FileError, match="UTF-8 eller Windows-1252"):
        open_participant_file(io.BytesIO(b"insats;kod\r\n\x81\x8d;x\r\n"))


def test_old_excel_format_is_refused() -> None:
    with pytest.raises(FileError, match=r"\.xls"):
        open_participant_file(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100))


def test_empty_file_is_refused() -> None:
    with pytest.raises(FileError, match="tom"):
        open_participant_file(io.BytesIO(b""))


def test_file_over_the_size_limit_is_refused_before_reading() -> None:
    data = csv_bytes([ROW] * 100)
    with pytest.raises(FileError, match="för stor") as error:
        open_participant_file(io.BytesIO(data), limit=1024)
    assert "högst 1 kB" in error.value.message and "Dela upp" in error.value.message


def test_workbook_that_unpacks_far_beyond_the_limit_is_refused() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for _ in range(2000):
        sheet.append(["x" * 100] * len(COLUMNS))
    data = io.BytesIO()
    workbook.save(data)
    with pytest.raises(FileError, match="för stor"):
        open_participant_file(data, limit=len(data.getvalue()) + 1)


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def test_workbook_with_date_cells_and_numbers_is_read() -> None:
    values = dict(ROW)
    cells: list[Any] = [values[c] for c in ROW]
    cells[1] = 1234  # a numeric code
    cells[2] = datetime.datetime(2026, 1, 10)
    cells[5] = datetime.date(2026, 1, 12)
    rows, problems, _outcome = read(xlsx([list(ROW), cells]))
    assert problems == []
    assert rows[0].code == "1234" and rows[0].consent == datetime.date(2026, 1, 10)


def test_workbook_row_numbers_count_blank_rows_as_excel_shows_them() -> None:
    bad = [ROW[c] for c in ROW]
    bad[3] = "kvinnor"
    _rows, problems, _outcome = read(xlsx([list(ROW), [ROW[c] for c in ROW], [], bad]))
    assert problems == [
        "Rad 4, kolumn kön: ”kvinnor” är inte ett tillåtet värde. Tillåtna värden: kvinna, man, annat, uppgift saknas."
    ]


def test_missing_columns_are_named() -> None:
    row = {k: v for k, v in ROW.items() if k not in ("kön", "slutdatum")}
    _rows, problems, _outcome = read(csv_bytes([row]))
    assert problems == ["Rad 1: kolumner saknas i rubrikraden: kön, slutdatum. Ladda ner mallen för rätt rubriker."]


def test_unknown_columns_are_named_with_the_allowed_ones() -> None:
    _rows, problems, _outcome = read(csv_bytes([{**ROW, "telefon": "070"}]))
    assert len(problems) == 1
    assert "okända kolumner i rubrikraden: telefon" in problems[0] and "personnummer" in problems[0]


def test_header_names_ignore_case_and_spaces() -> None:
    data = csv_bytes([ROW]).replace(b"insats;kod", b" Insats ;KOD")
    rows, problems, _outcome = read(data)
    assert problems == [] and len(rows) == 1


def test_bad_and_reversed_dates_are_reported_per_column() -> None:
    rows = [
        {**ROW, "startdatum": "2026-02-30"},
        {**ROW, "startdatum": "12/1/2026"},
        {**ROW, "startdatum": "2026-06-30", "slutdatum": "2026-01-12"},
        {**ROW, "samtycke": "2027-01-01"},
    ]
    _rows, problems, _outcome = read(csv_bytes(rows))
    assert problems == [
        "Rad 2, kolumn startdatum: ”2026-02-30” är inte ett datum (ÅÅÅÅ-MM-DD).",
        "Rad 3, kolumn startdatum: ”12/1/2026” är inte ett datum (ÅÅÅÅ-MM-DD).",
        "Rad 4, kolumn slutdatum: slutdatumet 2026-01-12 ligger före startdatumet 2026-06-30. Har de bytt plats?",
        "Rad 5, kolumn samtycke: samtyckesdatumet 2027-01-01 ligger i framtiden.",
    ]


def test_unknown_codes_are_reported_with_what_is_allowed() -> None:
    _rows, problems, _outcome = read(
        csv_bytes([{**ROW, "åldersgrupp": "65+", "försörjning_start": "lotto", "avslutsorsak": "pension"}])
    )
    assert [p.split(":")[0] for p in problems] == [
        "Rad 2, kolumn åldersgrupp",
        "Rad 2, kolumn försörjning_start",
        "Rad 2, kolumn avslutsorsak",
    ]
    assert "16–19, 20–24" in problems[0] and "sjukpenning/rehabiliteringspenning" in problems[1]


def test_income_source_by_code_label_or_label_part() -> None:
    rows = [
        {**ROW, "försörjning_start": value}
        for value in ("forsorjningsstod", "Försörjningsstöd (ekonomiskt bistånd)", "ekonomiskt bistånd")
    ]
    parsed, problems, _outcome = read(csv_bytes(rows))
    assert problems == [] and {row.income_start for row in parsed} == {"forsorjningsstod"}


def test_bad_personnummer_checksum_is_reported_without_the_number() -> None:
    _rows, problems, _outcome = read(csv_bytes([{**ROW, "personnummer": BAD_PERSONNUMMER}]))
    assert problems == [
        "Rad 2, kolumn personnummer: ogiltigt personnummer på rad 2 (datum eller kontrollsiffra stämmer inte)."
    ]
    assert all("19900101" not in p and "0018" not in p for p in problems)


def test_valid_personnummer_becomes_its_hash_only() -> None:
    rows, problems, _outcome = read(csv_bytes([{**ROW, "personnummer": VALID_PERSONNUMMER}]))
    assert problems == []
    assert rows[0].personnummer_hashes == ("hash",)
    assert VALID_PERSONNUMMER not in repr(rows[0])


def test_row_without_consent_is_anonymous_and_may_not_hold_personal_columns() -> None:
    anonymous = {**ROW, "samtycke": "", "kod": "", "utbildning": "", "avslutsorsak": ""}
    leaking = {**ROW, "samtycke": ""}
    rows, problems, _outcome = read(csv_bytes([anonymous, leaking]))
    assert len(rows) == 1 and rows[0].anonymous and rows[0].code == ""
    assert [p.split(":")[0] for p in problems] == [
        "Rad 3, kolumn kod",
        "Rad 3, kolumn utbildning",
        "Rad 3, kolumn avslutsorsak",
    ]
    assert "samtyckesdatum" in problems[0]


def test_row_with_consent_needs_a_code() -> None:
    _rows, problems, _outcome = read(csv_bytes([{**ROW, "kod": ""}]))
    assert problems == ["Rad 2, kolumn kod: kod saknas: en deltagare med samtycke behöver en pseudonym kod."]


def test_unclosed_quote_stops_with_its_row() -> None:
    data = csv_bytes([ROW, ROW]) + b'"Steget;x\r\n'
    _rows, problems, outcome = read(data)
    assert problems == []
    assert outcome.stopped is not None and outcome.stopped.line == 4


def test_extra_cells_beyond_the_header_are_reported() -> None:
    data = csv_bytes([ROW]).rstrip(b"\r\n") + b";extra\r\n"
    _rows, problems, _outcome = read(data)
    assert problems and problems[0].startswith("Rad 2: raden har fler ifyllda celler")


def test_control_character_in_a_cell_is_reported() -> None:
    _rows, problems, _outcome = read(csv_bytes([{**ROW, "kod": "SV\x071"}]))
    assert problems and problems[0].startswith("Rad 2, kolumn kod: Texten innehåller ett osynligt styrtecken")


def test_template_rows_pass_the_checks() -> None:
    rows = list(import_rows.template_rows())
    data = ("\r\n".join(";".join(row) for row in rows) + "\r\n").encode("utf-8")
    parsed, problems, _outcome = read(data)
    assert problems == [] and len(parsed) == 2 and parsed[1].anonymous


def test_size_limit_message_in_megabytes_with_a_decimal_comma() -> None:
    from samverkan.interventions.import_file import too_large_message

    assert too_large_message(52_428_800, 41_943_040).startswith("Filen är för stor (50,0 MB): högst 40,0 MB.")
