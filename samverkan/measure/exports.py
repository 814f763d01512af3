"""Exports of a campaign: results (CSV, XLSX, SPSS, JSON) and anonymous responses (CSV, XLSX, SPSS).

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
import random
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext as _

from . import disclosure, published
from .models import Answer, Campaign, InstrumentKind, Item, ItemKind, Response
from .published import results_payload
from .results import CampaignResults, group_label

HIDDEN_GROUP = "dold"
DONT_KNOW = 9

# The columns of a level × group row: the level, then the published cell's own (published.CELL_FIELDS).
_CELL_COLUMNS = published.cell_columns()
LEVEL_COLUMNS = ["level", *[spec.column_name for spec in _CELL_COLUMNS if spec.column_name]]
HALLMARK_COLUMNS = ["hallmark", "group", "suppressed", "n", "mean", "ci_low", "ci_high", "alpha", "alpha_n"]
YES_NO_COLUMNS = tuple(spec.column_name for spec in _CELL_COLUMNS if spec.type is bool)
# Figures an analyst computes with ("scale" in SPSS); ring is ordinal, the rest nominal.
SCALE_COLUMNS = (
    *[spec.column_name for spec in _CELL_COLUMNS if spec.measure == published.SCALE],
    "alpha",
    "alpha_n",
)
# Where the sheet shows a Swedish label, the English code follows in a column of its own.
CODED_COLUMNS = {"level": "level_code", "group": "group_code", "hallmark": "hallmark_code"}

COLUMN_LABELS = {
    "table": "Tabell",
    "level": "Nivå",
    "level_code": "Nivå (kod)",
    "group_code": "Respondentgrupp (kod)",
    **{spec.column_name: spec.label for spec in _CELL_COLUMNS if spec.column_name},
    "hallmark": "Kännetecken",
    "hallmark_code": "Kännetecken (kod)",
    "alpha": "Cronbachs alfa",
    "alpha_n": "Antal fullständiga svar för alfa",
}


def level_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per level and group, with codes (`personal`, `board`) and their Swedish labels beside them."""
    rows = []
    for level in payload["levels"]:
        for cell in level["groups"]:
            row = {"level": level["level"], "level_label": level["label"], "group_label": cell["group_label"]}
            for spec in published.CELL_FIELDS:
                if spec.column_name is not None:
                    row[spec.column_name] = cell[spec.name]
                nested = (cell[spec.name] or {}) if spec.parts else {}
                for part in spec.parts:
                    if part.column_name is not None:
                        row[part.column_name] = nested.get(part.name)
            rows.append(row)
    return rows


def hallmark_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for hallmark in payload["hallmarks"]:
        for cell in hallmark["groups"]:
            rows.append(
                {
                    "hallmark": hallmark["hallmark"],
                    "hallmark_label": hallmark["label"],
                    "group": cell["group"],
                    "group_label": cell["group_label"],
                    "suppressed": cell["suppressed"],
                    "n": cell["n"],
                    "mean": cell["mean"],
                    "ci_low": cell["ci_low"],
                    "ci_high": cell["ci_high"],
                    "alpha": hallmark["alpha"] if cell["group"] == "all" else None,
                    "alpha_n": hallmark["alpha_n"] if cell["group"] == "all" else None,
                }
            )
    return rows


def _yes_no(value: Any) -> Any:
    if value is None:
        return None
    return _("Ja") if value else _("Nej")


def _labelled(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """A row as a person reads it: Swedish labels and Ja/Nej, each code kept in its `*_code` column."""
    out: dict[str, Any] = {}
    for column in columns:
        if column in CODED_COLUMNS:
            out[column] = row.get(f"{column}_label", row.get(column))
            out[CODED_COLUMNS[column]] = row.get(column)
        elif column in YES_NO_COLUMNS:
            out[column] = _yes_no(row.get(column))
        else:
            out[column] = row.get(column)
    return out


def _with_codes(columns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for column in columns:
        out.append(column)
        if column in CODED_COLUMNS:
            out.append(CODED_COLUMNS[column])
    return out


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
    columns = _with_codes(LEVEL_COLUMNS)
    rows = [{"table": "niva", **_labelled(row, LEVEL_COLUMNS)} for row in level_rows(payload)]
    for row in hallmark_rows(payload):
        row["level"], row["level_label"] = row.pop("hallmark"), row.pop("hallmark_label")
        rows.append({"table": "kannetecken", **_labelled(row, [*LEVEL_COLUMNS, "alpha", "alpha_n"])})
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


def results_xlsx(results: CampaignResults) -> bytes:
    payload = results_payload(results)
    sheets = []
    for title, columns, rows in (
        (_("Nivåer"), LEVEL_COLUMNS, level_rows(payload)),
        (_("Kännetecken"), HALLMARK_COLUMNS, hallmark_rows(payload)),
    ):
        shown = _with_codes(columns)
        labelled = [_labelled(row, columns) for row in rows]
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
    return {c: "scale" if c in SCALE_COLUMNS else "ordinal" if c == "ring" else "nominal" for c in columns}


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


# --- anonymous responses -------------------------------------------------------------------------


def _items(campaign: Campaign) -> list[Item]:
    return list(campaign.instrument.items.order_by("position"))


def _recoded_group(visible: set[str], field: str = "respondent_group") -> Case:
    """The respondent group as exported: every group the results hide becomes "dold"."""
    return Case(
        *[When(**{field: g}, then=Value(g)) for g in sorted(visible)],
        default=Value(HIDDEN_GROUP),
        output_field=CharField(),
    )


def _group_order(visible: set[str]) -> list[str]:
    """Order by exported group; when every group is pooled it is one constant, which PostgreSQL won't sort by."""
    return ["export_group"] if visible else []


def response_rows(results: CampaignResults) -> Iterator[list[Any]]:
    """One row per response: exported group, then one value per item. Streams from the database.

    Order: by exported group, then by the response's random UUID key, i.e. a fixed
    shuffle that says nothing about arrival and, inside "dold", nothing about which
    hidden group a row came from. Responses and answers are read in that same order
    and merged, so only one response is held in memory at a time.
    """
    campaign = results.campaign
    if results.total_suppressed:
        return
    items = _items(campaign)
    # Only groups the results show keep their name; the campaign's hidden set (and anything unknown) is pooled.
    visible = set(results.visible_groups)
    text_groups = set(results.visible_text_groups)
    position = {item.pk: index for index, item in enumerate(items)}
    kinds = [item.kind for item in items]
    shown_responses = Response.objects.filter(campaign=campaign)
    shown_answers = Answer.objects.filter(response__campaign=campaign)
    pooled = shown_responses.exclude(respondent_group__in=visible).count()
    if not disclosure.pooled_rows_allowed(pooled, results.min_group_size):
        # Fewer pooled rows than the minimum would single their groups out: they are left out.
        shown_responses = shown_responses.filter(respondent_group__in=visible)
        shown_answers = shown_answers.filter(response__respondent_group__in=visible)
    responses = (
        shown_responses.annotate(export_group=_recoded_group(visible))
        .order_by(*_group_order(visible), "pk")
        .values_list("pk", "respondent_group", "export_group")
    )
    answers = (
        shown_answers.annotate(export_group=_recoded_group(visible, "response__respondent_group"))
        .order_by(*_group_order(visible), "response_id")
        .values_list("response_id", "item_id", "value", "text")
    )
    answer_stream = answers.iterator(chunk_size=5000)
    pending = next(answer_stream, None)
    for response_id, group, export_group in responses.iterator(chunk_size=2000):
        values: list[Any] = [None] * len(items)
        while pending is not None and pending[0] == response_id:
            _rid, item_id, value, text = pending
            index = position.get(item_id)
            if index is not None:
                if kinds[index] == ItemKind.TEXT:
                    # Free text only where the group is shown and has at least the minimum size.
                    values[index] = text if group in text_groups else ""
                else:
                    values[index] = value
            pending = next(answer_stream, None)
        yield [export_group, *values]


def response_header(campaign: Campaign) -> list[str]:
    """Variable names of the response export (.sav): the group's code, then one variable per item."""
    return ["grupp", *[item.code for item in _items(campaign)]]


def response_sheet_header(campaign: Campaign) -> list[str]:
    """CSV/XLSX: the group's Swedish label first, its code beside it, then one column per item."""
    return ["grupp", "grupp_kod", *[item.code for item in _items(campaign)]]


def _export_group_label(code: str) -> str:
    return _("Dolda grupper (sammanslagna)") if code == HIDDEN_GROUP else group_label(code)


def _sheet_rows(results: CampaignResults) -> Iterator[list[Any]]:
    labels: dict[str, str] = {}
    for row in response_rows(results):
        code = row[0]
        if code not in labels:
            labels[code] = _export_group_label(code)
        yield [labels[code], *row]


def responses_csv_stream(results: CampaignResults) -> Iterator[bytes]:
    header = response_sheet_header(results.campaign)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in _sheet_rows(results):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def responses_xlsx(results: CampaignResults) -> bytes:
    header = response_sheet_header(results.campaign)
    items = _items(results.campaign)
    questions = [
        ["grupp", _("Respondentgrupp (Dolda grupper = de grupper resultaten döljer, sammanslagna)"), ""],
        [
            "grupp_kod",
            _("Respondentgruppens kod"),
            ", ".join(f"{g} = {_export_group_label(g)}" for g in _group_codes(results)),
        ],
    ]
    for item in items:
        allowed = _("fritext") if item.kind == ItemKind.TEXT else _("1–5, 9 = vet ej")
        if item.kind == ItemKind.CHOICE:
            allowed = ", ".join(f"{n} = {o}" for n, o in enumerate(item.options, start=1))
        questions.append([item.code, item.text, allowed])
    return _xlsx(
        [
            (_("Svar"), header, _sheet_rows(results)),
            (_("Frågor"), [_("Variabel"), _("Fråga"), _("Värden")], questions),
        ]
    )


def _group_codes(results: CampaignResults) -> list[str]:
    codes = list(results.visible_groups)
    if results.hidden_groups:
        codes.append(HIDDEN_GROUP)
    return codes


def likert_anchors(campaign: Campaign) -> tuple[str, str]:
    """The end labels of the 1–5 agreement scale, as the questionnaire shows them."""
    if campaign.instrument.kind == InstrumentKind.PARTICIPANT:
        return _("Stämmer inte alls"), _("Stämmer helt")
    return _("Instämmer inte alls"), _("Instämmer helt")


def responses_sav(results: CampaignResults) -> bytes:
    """Ring and agreement items are ordinal, choice items and the group nominal (with value labels)."""
    import pandas as pd

    items = _items(results.campaign)
    header = response_header(results.campaign)
    frame = pd.DataFrame(list(response_rows(results)), columns=header)
    frame["grupp"] = frame["grupp"].astype(str)
    labels: dict[str, dict[Any, str]] = {"grupp": {g: _export_group_label(g)[:120] for g in _group_codes(results)}}
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


# --- free text for the report --------------------------------------------------------------------


def visible_text_answers(results: CampaignResults) -> list[dict[str, Any]]:
    """Free-text answers per text item and group, only for groups in `results.visible_text_groups`
    (the visible groups of the campaign's one hidden set, each with at least the minimum of respondents).

    Sorted, then shuffled with a fixed seed per campaign, item and group, so the
    order says nothing about when someone answered. Nothing while the total is hidden.
    """
    if results.total_suppressed:
        return []
    labels = {g.group: g.label for g in results.groups}
    respondents = {g.group: g.n for g in results.groups}
    out = []
    for item in results.text_items:
        per_group = []
        for group in results.visible_text_groups:
            texts = sorted(
                Answer.objects.filter(response__campaign=results.campaign, response__respondent_group=group, item=item)
                .exclude(text="")
                .values_list("text", flat=True)
            )
            random.Random(f"{results.campaign.pk}-{item.code}-{group}").shuffle(texts)
            if texts:
                per_group.append(
                    {"group": labels.get(group, group), "texts": texts, "respondents": respondents.get(group, 0)}
                )
        if per_group:
            out.append({"item": item, "groups": per_group})
    return out
