"""The tables of the exports, before any file format: rows of results and of anonymous responses.

Results rows are built only from `published.results_payload`, so every suppression rule of
`campaign_results` carries over; their columns come from the published cell's one schema
(`published.CELL_FIELDS`). The anonymous responses (`response_rows`) follow the pages' one rule
for hidden groups; see exports.py for what each file holds. Also the report's free text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext as _

from . import disclosure, published
from .models import Answer, Campaign, InstrumentKind, Item, ItemKind, Response
from .results import CampaignResults, group_label

HIDDEN_GROUP = "dold"
DONT_KNOW = 9

# The columns of a level × group row: the level, then the published cell's own (published.CELL_FIELDS).
_CELL_COLUMNS = published.cell_columns()
LEVEL_COLUMNS = ["level", *[spec.column_name for spec in _CELL_COLUMNS if spec.column_name]]
HALLMARK_COLUMNS = ["hallmark", "group", "suppressed", "n", "mean", "ci_low", "ci_high", "alpha", "alpha_n"]
YES_NO_COLUMNS = tuple(spec.column_name for spec in _CELL_COLUMNS if spec.type is bool)
# The SPSS measurement level of each cell column: figures scale, the ring ordinal; any other column nominal.
COLUMN_MEASURES = {spec.column_name: spec.measure for spec in _CELL_COLUMNS if spec.column_name}
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


def labelled_row(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
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


def with_codes(columns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for column in columns:
        out.append(column)
        if column in CODED_COLUMNS:
            out.append(CODED_COLUMNS[column])
    return out


# --- anonymous responses -------------------------------------------------------------------------


def export_items(campaign: Campaign) -> list[Item]:
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
    items = export_items(campaign)
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
    return ["grupp", *[item.code for item in export_items(campaign)]]


def response_sheet_header(campaign: Campaign) -> list[str]:
    """CSV/XLSX: the group's Swedish label first, its code beside it, then one column per item."""
    return ["grupp", "grupp_kod", *[item.code for item in export_items(campaign)]]


def export_group_label(code: str) -> str:
    return _("Dolda grupper (sammanslagna)") if code == HIDDEN_GROUP else group_label(code)


def sheet_rows(results: CampaignResults) -> Iterator[list[Any]]:
    labels: dict[str, str] = {}
    for row in response_rows(results):
        code = row[0]
        if code not in labels:
            labels[code] = export_group_label(code)
        yield [labels[code], *row]


def group_codes(results: CampaignResults) -> list[str]:
    codes = list(results.visible_groups)
    if results.hidden_groups:
        codes.append(HIDDEN_GROUP)
    return codes


def likert_anchors(campaign: Campaign) -> tuple[str, str]:
    """The end labels of the 1–5 agreement scale, as the questionnaire shows them."""
    if campaign.instrument.kind == InstrumentKind.PARTICIPANT:
        return _("Stämmer inte alls"), _("Stämmer helt")
    return _("Instämmer inte alls"), _("Instämmer helt")


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
