"""Exports of a workshop's themes: answers with their themes (CSV for Swedish Excel, XLSX) and a PDF summary.

Only visible answers, ever (`theme_services.themes_with_answers` and `ungrouped_answers` read through
`Answer.objects.visible()`). No participant key, no date per answer, no agency: the rows are in the
order of the answers' random keys within each theme. Votes appear only as each theme's n and result,
and the result only when n reaches the minimum group size.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import theme_services as themes
from .models import Prompt, PromptKind, VoteMode, Workshop
from .selectors import min_group_size

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _headers() -> list[str]:
    return [_("Fråga"), _("Tema"), _("Definition"), _("Svar")]


def answer_rows(workshop: Workshop) -> list[list[str]]:
    rows = []
    for prompt in Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN):
        for view in themes.themes_with_answers(prompt):
            rows += [[prompt.text, view.theme.label, view.theme.definition, a.text] for a in view.answers]
        rows += [[prompt.text, _("Utan tema"), "", a.text] for a in themes.ungrouped_answers(prompt)]
    return rows


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV-injection rule)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def answers_csv(workshop: Workshop) -> bytes:
    """UTF-8 with BOM, `;` and CRLF: what Swedish Excel opens with a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers())
    writer.writerows([[_safe(v) for v in row] for row in answer_rows(workshop)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def answers_xlsx(workshop: Workshop) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Svar och teman")
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in answer_rows(workshop):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # an answer like "=1+1" stays text
    for letter, width in zip("ABCD", (40, 30, 40, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def summary_html(workshop: Workshop, *, made_on: date) -> str:
    blocks = []
    for prompt in Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN):
        results = {r.theme.pk: r for r in themes.vote_results(prompt)}
        blocks.append(
            {
                "prompt": prompt,
                "themes": [(v, results.get(v.theme.pk)) for v in themes.themes_with_answers(prompt)],
                "ungrouped": themes.ungrouped_answers(prompt),
                "grouping": themes.grouping_of(prompt),
            }
        )
    return render_to_string(
        "workshops/themes/summary_pdf.html",
        {
            "workshop": workshop,
            "blocks": blocks,
            "participants": themes.participant_count(workshop),
            "min_group_size": min_group_size(workshop),
            "made_on": made_on,
            "VoteMode": VoteMode,
        },
    )


def summary_pdf(workshop: Workshop, *, made_on: date) -> bytes:
    from samverkan.common.pdf import pdf_bytes

    return pdf_bytes(summary_html(workshop, made_on=made_on))
