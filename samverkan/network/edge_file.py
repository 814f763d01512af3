"""A collaboration survey as a CSV file of ties: `source,target,depth[,trust,value,knows_whom_to_call]`.

One row per answer: `source` said about `target` how deeply they work together (0–5), optionally its trust
(one 1–4 value, e.g. the mean of the three trust items), the value of the other's contribution (1–4) and
whether it knows whom to call there (ja/nej, yes/no, 1/0, or empty). The nodes are every name in either
column, in the order they first appear. The file is UTF-8 (with or without BOM, as Excel saves "CSV UTF-8")
or Windows-1252, delimited by `;` or `,` (a decimal comma is then fine in a `;` file); the header is row 1,
as a spreadsheet numbers them, and blank rows are skipped.

Every problem is reported, in Swedish and naming its row, in `EdgeFileError.messages`; nothing is returned
from a file with a problem.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samverkan.common.text import TextFileError, decode_text_file

from .metrics import DEPTH_MAX, DEPTH_MIN, SCALE_MAX, SCALE_MIN, EdgeAnswer

REQUIRED_COLUMNS = ("source", "target", "depth")
OPTIONAL_COLUMNS = ("trust", "value", "knows_whom_to_call")
YES = {"ja", "yes", "1", "true", "sant", "j", "y"}
NO = {"nej", "no", "0", "false", "falskt", "n"}
MAX_MESSAGES = 50  # a wholly wrong file is not a thousand lines of errors


class EdgeFileError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class EdgeFile:
    nodes: list[str]
    answers: list[EdgeAnswer]


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _score(text: str) -> float | None:
    """A 1–4 number with a decimal point or comma, or None when it is not one."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if SCALE_MIN <= number <= SCALE_MAX else None


def read_edge_file(data: bytes) -> EdgeFile:
    """The nodes and answers of a tie file; EdgeFileError with every problem (by row) otherwise."""
    try:
        text = decode_text_file(data)
    except TextFileError as error:
        raise EdgeFileError([str(error)]) from None
    if not text.strip():
        raise EdgeFileError([_("Filen är tom.")])
    first_line = next(line for line in text.splitlines() if line.strip())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    messages: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
    except csv.Error:
        raise EdgeFileError(
            [_('Rad %(row)d: raden kan inte läsas som CSV (kontrollera citattecknen ").') % {"row": reader.line_num}]
        ) from None
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    header_row, header_cells = rows[0]
    header = [cell.strip().lower() for cell in header_cells]
    for name in REQUIRED_COLUMNS:
        if name not in header:
            messages.append(
                _("Rad %(row)d: kolumnen ”%(column)s” saknas (rubrikraden behöver %(columns)s).")
                % {"row": header_row, "column": name, "columns": ", ".join(REQUIRED_COLUMNS)}
            )
    for heading in header:
        if heading not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            messages.append(
                _("Rad %(row)d: okänd kolumn ”%(column)s” (möjliga kolumner: %(columns)s).")
                % {"row": header_row, "column": heading, "columns": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
            )
    if len(set(header)) != len(header):
        messages.append(_("Rad %(row)d: en kolumn finns två gånger i rubrikraden.") % {"row": header_row})
    if messages:
        raise EdgeFileError(messages)
    column = {name: header.index(name) for name in header}
    nodes: dict[str, None] = {}
    answers: list[EdgeAnswer] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows[1:]:
        if len(messages) >= MAX_MESSAGES:
            messages.append(_("… och fler fel. Rätta de här först."))
            break
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            messages.append(
                _("Rad %(row)d: raden har fler celler (%(cells)d) än rubrikraden (%(columns)d).")
                % {"row": number, "cells": len(cells), "columns": len(header)}
            )
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = column.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        before = len(messages)
        source, target, depth_text = cell("source"), cell("target"), cell("depth")
        if not source:
            messages.append(_("Rad %(row)d: namnet i kolumnen source saknas.") % {"row": number})
        if not target:
            messages.append(_("Rad %(row)d: namnet i kolumnen target saknas.") % {"row": number})
        if source and source == target:
            messages.append(
                _("Rad %(row)d: %(name)s anger samverkan med sig själv; source och target måste vara olika.")
                % {"row": number, "name": source}
            )
        if source and target and source != target:
            earlier = seen.get((source, target))
            if earlier is not None:
                messages.append(
                    _("Rad %(row)d: paret %(source)s → %(target)s finns redan på rad %(earlier)d.")
                    % {"row": number, "source": source, "target": target, "earlier": earlier}
                )
            else:
                seen[(source, target)] = number
        depth = int(depth_text) if re.fullmatch("-?[0-9]+", depth_text) else None
        if depth is None or not DEPTH_MIN <= depth <= DEPTH_MAX:
            messages.append(
                _("Rad %(row)d: djupet måste vara ett heltal 0–5 (inte ”%(value)s”).")
                % {"row": number, "value": depth_text}
            )
        scores: dict[str, float | None] = {}
        for name, what in (("trust", _("förtroendet")), ("value", _("värdet"))):
            text = cell(name)
            scores[name] = _score(text) if text else None
            if text and scores[name] is None:
                messages.append(
                    _("Rad %(row)d: %(what)s måste vara ett tal 1–4 (inte ”%(value)s”).")
                    % {"row": number, "what": what, "value": text}
                )
        knows_text = cell("knows_whom_to_call").lower()
        knows: bool | None = None
        if knows_text in YES:
            knows = True
        elif knows_text in NO:
            knows = False
        elif knows_text:
            messages.append(
                _("Rad %(row)d: knows_whom_to_call måste vara ja, nej eller tomt (inte ”%(value)s”).")
                % {"row": number, "value": cell("knows_whom_to_call")}
            )
        if len(messages) > before or depth is None:
            continue
        nodes.setdefault(source)
        nodes.setdefault(target)
        answers.append(EdgeAnswer(source, target, depth, scores["trust"], scores["value"], knows))
    if messages:
        raise EdgeFileError(messages)
    if not answers:
        raise EdgeFileError([_("Filen har en rubrikrad men inga rader med svar.")])
    return EdgeFile(nodes=list(nodes), answers=answers)
