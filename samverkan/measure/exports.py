"""Exports of a campaign, as files: results (CSV, XLSX, SPSS, JSON) and anonymous responses (CSV, XLSX, SPSS).

The tables themselves are built in export_tables.py; this module writes them in each format.

Results rows are built only from `results_payload`, so every suppression rule
of `campaign_results` carries over. The responses export is anonymous
microdata: no date, no agency, no identifier. It follows the same one rule as
the pages: the respondents of the campaign's one hidden set of groups
(`disclosure.joint_suppression`) are pooled as "dold" and their free text is
blanked; every other group keeps its code. The pooled rows are published only
as a set of at least the minimum (else they are left out), and nothing is
exported while the campaign's total is below the minimum. Rows are ordered by
exported group, then by the response's random UUID key — a fixed shuffle,
never arrival order.

Codes for analysts, words for people: values are shown as Swedish labels
("Jag (personligen)", "Styrelseledamot", Ja/Nej) with the English codes
(`personal`, `board`) kept in a column beside them (`level_code`,
`group_code`, `grupp_kod`). In .sav files the variables hold the codes with
Swedish value labels, and each has its SPSS measure: items ordinal, figures
scale, codes nominal.

CSV dialect (what Swedish Excel opens with a double click): UTF-8 with BOM,
`;` as delimiter, decimal comma, CRLF line ends, Ja/Nej for yes/no and an empty
field for missing or hidden. The results CSV holds both tables with a first
column `table` (`niva` or `kannetecken`); XLSX puts them on the sheets
"Nivåer" and "Kännetecken". Free text that Excel would read as a formula is
kept as text (CSV: leading apostrophe; XLSX: string cell).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .export_tables import (
    COLUMN_LABELS,
    COLUMN_MEASURES,
    DONT_KNOW,
    HALLMARK_COLUMNS,
    LEVEL_COLUMNS,
    YES_NO_COLUMNS,
    export_group_label,
    export_items,
    group_codes,
    hallmark_rows,
    labelled_row,
    level_rows,
    likert_anchors,
    response_header,
    response_rows,
    response_sheet_header,
    sheet_rows,
    with_codes,
)
from .models import ItemKind
from .published import results_payload
from .results import CampaignResults


def _csv_value(value: Any) -> str:
    """Swedish Excel: decimal comma, 1/0 for yes/no, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return str(value)


def _csv_bytes(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_csv(results: CampaignResults) -> bytes:
    """Levels and hallmarks in one file: a `table` column tells which (`niva`, `kannetecken`).

    Values as a person reads them (Swedish labels, Ja/Nej); `level_code` and `group_code` keep the codes.
    """
    payload = results_payload(results)
    columns = with_codes(LEVEL_COLUMNS)
    rows = [{"table": "niva", **labelled_row(row, LEVEL_COLUMNS)} for row in level_rows(payload)]
    for row in hallmark_rows(payload):
        row["level"], row["level_label"] = row.pop("hallmark"), row.pop("hallmark_label")
        rows.append({"table": "kannetecken", **labelled_row(row, [*LEVEL_COLUMNS, "alpha", "alpha_n"])})
    return _csv_bytes(["table", *columns, "alpha", "alpha_n"], rows)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """Text that looks like a formula (e.g. a free-text answer "=HYPERLINK(...)") stays text."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _csv_text(value: Any) -> Any:
    """Free text that Excel would run as a formula gets a leading apostrophe (OWASP's CSV-injection rule)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per table: bold, frozen header row. Write-only, so rows can stream in."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(name)) + 2))
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# For other capabilities' tables (e.g. the interventions portfolio): the same workbook rules.
xlsx_workbook = _xlsx


def results_xlsx(results: CampaignResults) -> bytes:
    payload = results_payload(results)
    sheets = []
    for title, columns, rows in (
        (_("Nivåer"), LEVEL_COLUMNS, level_rows(payload)),
        (_("Kännetecken"), HALLMARK_COLUMNS, hallmark_rows(payload)),
    ):
        shown = with_codes(columns)
        labelled = [labelled_row(row, columns) for row in rows]
        sheets.append((title, [COLUMN_LABELS[c] for c in shown], [[r[c] for c in shown] for r in labelled]))
    return _xlsx(sheets)


def _sav_bytes(frame: Any, **kwargs: Any) -> bytes:
    import pyreadstat

    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(frame, path, **kwargs)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


RING_VALUE_LABELS = {
    1.0: "Ring 1: Samverkan apart",
    2.0: "Ring 2: Samverkan på fredag",
    3.0: "Ring 3: Integrerad samverkan",
}
YES_NO = {0.0: "Nej", 1.0: "Ja"}


def _measures(columns: Sequence[str]) -> dict[str, str]:
    """SPSS measurement level per variable: figures are scale, the ring ordinal, codes and yes/no nominal."""
    return {c: COLUMN_MEASURES.get(c, "nominal") for c in columns}


def _code_labels(rows: Sequence[dict[str, Any]], column: str) -> dict[str, str]:
    return {str(r[column]): str(r[f"{column}_label"])[:120] for r in rows if r.get(column) is not None}


def results_sav(results: CampaignResults) -> bytes:
    import pandas as pd

    payload = results_payload(results)
    rows = level_rows(payload)
    frame = pd.DataFrame(rows, columns=LEVEL_COLUMNS)
    for column in YES_NO_COLUMNS:
        frame[column] = frame[column].map(lambda v: None if v is None else float(bool(v)))
    for column in LEVEL_COLUMNS[3:]:
        if column not in YES_NO_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return _sav_bytes(
        frame,
        file_label=results.campaign.name[:64],
        column_labels=[COLUMN_LABELS[c] for c in LEVEL_COLUMNS],
        variable_value_labels={
            "level": _code_labels(rows, "level"),
            "group": _code_labels(rows, "group"),
            "ring": RING_VALUE_LABELS,
            **dict.fromkeys(YES_NO_COLUMNS, YES_NO),
        },
        variable_measure=_measures(LEVEL_COLUMNS),
    )


def responses_csv_stream(results: CampaignResults) -> Iterator[bytes]:
    header = response_sheet_header(results.campaign)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in sheet_rows(results):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def responses_xlsx(results: CampaignResults) -> bytes:
    header = response_sheet_header(results.campaign)
    items = export_items(results.campaign)
    questions = [
        ["grupp", _("Respondentgrupp (Dolda grupper = de grupper resultaten döljer, sammanslagna)"), ""],
        [
            "grupp_kod",
            _("Respondentgruppens kod"),
            ", ".join(f"{g} = {export_group_label(g)}" for g in group_codes(results)),
        ],
    ]
    for item in items:
        allowed = _("fritext") if item.kind == ItemKind.TEXT else _("1–5, 9 = vet ej")
        if item.kind == ItemKind.CHOICE:
            allowed = ", ".join(f"{n} = {o}" for n, o in enumerate(item.options, start=1))
        questions.append([item.code, item.text, allowed])
    return _xlsx(
        [
            (_("Svar"), header, sheet_rows(results)),
            (_("Frågor"), [_("Variabel"), _("Fråga"), _("Värden")], questions),
        ]
    )


def responses_sav(results: CampaignResults) -> bytes:
    """Ring and agreement items are ordinal, choice items and the group nominal (with value labels)."""
    import pandas as pd

    items = export_items(results.campaign)
    header = response_header(results.campaign)
    frame = pd.DataFrame(list(response_rows(results)), columns=header)
    frame["grupp"] = frame["grupp"].astype(str)
    labels: dict[str, dict[Any, str]] = {"grupp": {g: export_group_label(g)[:120] for g in group_codes(results)}}
    measures: dict[str, str] = {"grupp": "nominal"}
    missing: dict[str, list[Any]] = {}
    for item in items:
        if item.kind == ItemKind.TEXT:
            frame[item.code] = frame[item.code].fillna("").astype(str)
            measures[item.code] = "nominal"
            continue
        frame[item.code] = pd.to_numeric(frame[item.code], errors="coerce")
        if item.kind == ItemKind.CHOICE:
            labels[item.code] = {float(n): str(o)[:120] for n, o in enumerate(item.options, start=1)}
            measures[item.code] = "nominal"
            continue
        measures[item.code] = "ordinal"
        if item.kind == ItemKind.RING:
            descriptions = [str(o) for o in item.options][:3]
            labels[item.code] = {
                float(value): f"{value} = {_('beskrivning %(n)s') % {'n': n}}: {text}"[:120]
                for n, (value, text) in enumerate(zip((1, 3, 5), descriptions, strict=False), start=1)
            }
        else:
            low, high = likert_anchors(results.campaign)
            labels[item.code] = {1.0: f"1 = {low}", 5.0: f"5 = {high}"}
        labels[item.code][float(DONT_KNOW)] = _("Vet ej")
        # 9 is "vet ej": a user-missing value, never a point on the scale.
        missing[item.code] = [DONT_KNOW]
    return _sav_bytes(
        frame,
        file_label=results.campaign.name[:64],
        column_labels=[_("Respondentgrupp"), *[item.text[:250] for item in items]],
        variable_value_labels=labels,
        variable_measure=measures,
        missing_ranges=missing,
    )
