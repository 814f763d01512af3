"""The participant file's template, as CSV (UTF-8 with BOM and `;`, as Swedish Excel opens it) and as XLSX."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .import_rows import COLUMNS, template_rows
from .import_vocabulary import AGE_BANDS, EDUCATION_LEVELS, END_REASONS, GENDERS, INCOME_SOURCES


def template_csv() -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    for row in template_rows():
        writer.writerow(row)
    return text.getvalue().encode("utf-8-sig")


def column_help() -> list[tuple[str, str]]:
    """Each column and what it may hold, for the template's second sheet and the import page."""
    date = _("datum ÅÅÅÅ-MM-DD")
    return [
        ("insats", _("insatsens namn eller kod")),
        ("kod", _("deltagarens pseudonyma kod (inte namn eller födelsedatum); tom för anonym rad")),
        ("samtycke", _("datum för samtycke (%(date)s); tom = anonym registrering") % {"date": date}),
        ("kön", GENDERS.allowed()),
        ("åldersgrupp", AGE_BANDS.allowed()),
        ("startdatum", date),
        ("slutdatum", _("%(date)s; tom medan deltagandet pågår") % {"date": date}),
        ("utbildning", EDUCATION_LEVELS.allowed()),
        ("försörjning_start", INCOME_SOURCES.allowed()),
        ("försörjning_slut", _("som försörjning_start; krävs med slutdatum")),
        ("avslutsorsak", END_REASONS.allowed() + " " + _("(krävs med slutdatum)")),
        ("status_90_dagar", _("försörjning 90 dagar efter avslut, som försörjning_start; får vara tom")),
        ("personnummer", _("valfri kolumn: sparas aldrig, bara som nyckelad kontrollsumma mot dubbletter")),
    ]


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deltagare")
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, _column in enumerate(COLUMNS):
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = 18
    # Dates and age bands as text, so Excel does not turn 20–24 or 2026-01-12 into something else.
    for row in sheet.iter_rows(min_row=2, max_row=200):
        for cell in row:
            cell.number_format = "@"
    guide = workbook.create_sheet(_("Kolumner"))
    guide.append([_("kolumn"), _("tillåtna värden")])
    for name, text in column_help():
        guide.append([name, text])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 100
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()
