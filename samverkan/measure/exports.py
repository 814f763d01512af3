"""Exports of a campaign: results (CSV, XLSX, SPSS, JSON) and anonymous responses (CSV, XLSX, SPSS).

Results rows are built only from `results_payload`, so every suppression rule
of `campaign_results` carries over. The responses export is anonymous
microdata: no date, no agency, no identifier; respondents of groups the
results hide are pooled as "dold" (complementary suppression guarantees the
pooled set is itself at least the minimum size) and their free text is
blanked; nothing is exported when the campaign's total is below the minimum.
Rows are sorted by their content, never by arrival.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .models import Answer, Campaign, Item, ItemKind, Response
from .results import CampaignResults, results_payload

HIDDEN_GROUP = "dold"
DONT_KNOW = 9

LEVEL_COLUMNS = [
    "level",
    "group",
    "suppressed",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "median",
    "ring",
    "share_ring_1",
    "share_ring_2",
    "share_ring_3",
    "disagreement",
    "momentum",
    "momentum_ci_low",
    "momentum_ci_high",
    "momentum_detectable",
    "target_mean",
    "gap",
]
HALLMARK_COLUMNS = ["hallmark", "group", "suppressed", "n", "mean", "ci_low", "ci_high", "alpha", "alpha_n"]

COLUMN_LABELS = {
    "level": "Nivå",
    "group": "Respondentgrupp",
    "suppressed": "Dold (för få svar)",
    "n": "Antal svar utom vet ej",
    "mean": "Medelvärde",
    "ci_low": "95 % KI, nedre",
    "ci_high": "95 % KI, övre",
    "median": "Median",
    "ring": "Ring (1–3)",
    "share_ring_1": "Andel ring 1",
    "share_ring_2": "Andel ring 2",
    "share_ring_3": "Andel ring 3",
    "disagreement": "Oenighet",
    "momentum": "Förflyttning sedan förra omgången",
    "momentum_ci_low": "Förflyttning, 95 % KI nedre",
    "momentum_ci_high": "Förflyttning, 95 % KI övre",
    "momentum_detectable": "Säkerställd förflyttning",
    "target_mean": "Mål om två år, medelvärde",
    "gap": "Gap till mål",
    "hallmark": "Kännetecken",
    "alpha": "Cronbachs alfa",
    "alpha_n": "Antal fullständiga svar för alfa",
}


def level_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for level in payload["levels"]:
        for cell in level["groups"]:
            momentum = cell["momentum"] or {}
            rows.append(
                {
                    "level": level["level"],
                    "group": cell["group"],
                    "suppressed": cell["suppressed"],
                    **{k: cell[k] for k in LEVEL_COLUMNS[3:13]},
                    "momentum": momentum.get("difference"),
                    "momentum_ci_low": momentum.get("ci_low"),
                    "momentum_ci_high": momentum.get("ci_high"),
                    "momentum_detectable": momentum.get("detectable"),
                    "target_mean": cell["target_mean"],
                    "gap": cell["gap"],
                }
            )
    return rows


def hallmark_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for hallmark in payload["hallmarks"]:
        for cell in hallmark["groups"]:
            rows.append(
                {
                    "hallmark": hallmark["hallmark"],
                    "group": cell["group"],
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
    """Levels and hallmarks in one file: a `table` column tells which."""
    payload = results_payload(results)
    rows = [{"table": "niva", **row} for row in level_rows(payload)]
    rows += [{"table": "kannetecken", "level": row.pop("hallmark"), **row} for row in hallmark_rows(payload)]
    return _csv_bytes(["table", *LEVEL_COLUMNS, "alpha", "alpha_n"], rows)


def _xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                10, min(40, len(name) + 2)
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_xlsx(results: CampaignResults) -> bytes:
    payload = results_payload(results)
    levels = level_rows(payload)
    hallmarks = hallmark_rows(payload)
    return _xlsx(
        [
            (_("Nivåer"), [COLUMN_LABELS[c] for c in LEVEL_COLUMNS], [[r[c] for c in LEVEL_COLUMNS] for r in levels]),
            (
                _("Kännetecken"),
                [COLUMN_LABELS[c] for c in HALLMARK_COLUMNS],
                [[r[c] for c in HALLMARK_COLUMNS] for r in hallmarks],
            ),
        ]
    )


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


def results_sav(results: CampaignResults) -> bytes:
    import pandas as pd

    payload = results_payload(results)
    rows = level_rows(payload)
    frame = pd.DataFrame(rows, columns=LEVEL_COLUMNS)
    for column in ("suppressed", "disagreement", "momentum_detectable"):
        frame[column] = frame[column].map(lambda v: None if v is None else float(bool(v)))
    for column in LEVEL_COLUMNS[3:]:
        if column not in ("suppressed", "disagreement", "momentum_detectable"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return _sav_bytes(
        frame,
        file_label=results.campaign.name[:64],
        column_labels=[COLUMN_LABELS[c] for c in LEVEL_COLUMNS],
        variable_value_labels={
            "ring": RING_VALUE_LABELS,
            "suppressed": YES_NO,
            "disagreement": YES_NO,
            "momentum_detectable": YES_NO,
        },
    )


# --- anonymous responses -------------------------------------------------------------------------


def _items(campaign: Campaign) -> list[Item]:
    return list(campaign.instrument.items.order_by("position"))


def response_rows(results: CampaignResults) -> Iterator[list[Any]]:
    """One row per response: group, then one value per item. Streams from the database."""
    campaign = results.campaign
    if results.total_suppressed:
        return
    items = _items(campaign)
    hidden = {g.group for g in results.groups if g.suppressed}
    text_groups = set(results.visible_text_groups)
    position = {item.pk: index for index, item in enumerate(items)}
    kinds = [item.kind for item in items]

    rows: list[tuple[str, list[Any]]] = []
    responses = Response.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "respondent_group")
    answers = (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id")
        .values_list("response_id", "item_id", "value", "text")
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    for response_id, group in responses.iterator(chunk_size=2000):
        values: list[Any] = [None] * len(items)
        while pending is not None and pending[0] == response_id:
            _rid, item_id, value, text = pending
            index = position.get(item_id)
            if index is not None:
                if kinds[index] == ItemKind.TEXT:
                    values[index] = text if group in text_groups else ""
                else:
                    values[index] = value
            pending = next(answers, None)
        rows.append((HIDDEN_GROUP if group in hidden else group, values))
    # Content order, not arrival order (the response keys are random UUIDs, sorted by content anyway).
    rows.sort(key=lambda r: (r[0], [(-1 if v is None else v) if not isinstance(v, str) else 0 for v in r[1]]))
    for group, values in rows:
        yield [group, *values]


def response_header(campaign: Campaign) -> list[str]:
    return ["grupp", *[item.code for item in _items(campaign)]]


def responses_csv_stream(results: CampaignResults) -> Iterator[bytes]:
    header = response_header(results.campaign)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in response_rows(results):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else v for v in row])
        yield buffer.getvalue().encode("utf-8")


def responses_xlsx(results: CampaignResults) -> bytes:
    header = response_header(results.campaign)
    items = _items(results.campaign)
    questions = [["grupp", _("Respondentgrupp (dold = sammanslagna små grupper)"), ""]]
    for item in items:
        allowed = _("fritext") if item.kind == ItemKind.TEXT else _("1–5, 9 = vet ej")
        if item.kind == ItemKind.CHOICE:
            allowed = ", ".join(f"{n} = {o}" for n, o in enumerate(item.options, start=1))
        questions.append([item.code, item.text, allowed])
    return _xlsx(
        [
            (_("Svar"), header, list(response_rows(results))),
            (_("Frågor"), [_("Variabel"), _("Fråga"), _("Värden")], questions),
        ]
    )


def responses_sav(results: CampaignResults) -> bytes:
    import pandas as pd

    items = _items(results.campaign)
    header = response_header(results.campaign)
    frame = pd.DataFrame(list(response_rows(results)), columns=header)
    labels: dict[str, dict[int | float, str]] = {}
    missing: dict[str, list[Any]] = {}
    for item in items:
        if item.kind == ItemKind.TEXT:
            frame[item.code] = frame[item.code].fillna("").astype(str)
            continue
        frame[item.code] = pd.to_numeric(frame[item.code], errors="coerce")
        if item.kind == ItemKind.CHOICE:
            labels[item.code] = {float(n): str(o)[:120] for n, o in enumerate(item.options, start=1)}
        else:
            labels[item.code] = {1.0: "1", 3.0: "3", 5.0: "5", float(DONT_KNOW): "Vet ej"}
            if item.kind == ItemKind.RING:
                labels[item.code].update({1.0: "1 Beskrivning 1", 3.0: "3 Beskrivning 2", 5.0: "5 Beskrivning 3"})
            missing[item.code] = [DONT_KNOW]
    return _sav_bytes(
        frame,
        file_label=results.campaign.name[:64],
        column_labels=[_("Respondentgrupp"), *[item.text[:250] for item in items]],
        variable_value_labels=labels,
        missing_ranges=missing,
    )
