"""Paper answers: the codebook a paper file follows, and its all-or-nothing import.

The file has one row per questionnaire: `grupp` (respondent group), optional
`organisation` (a member agency's name) and `datum` (YYYY-MM-DD), then one
column per item code as printed by `export_codebook`. The whole file is
validated first; every bad row and column is reported; nothing is written
unless every row is valid, and then all rows are written in one transaction.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from .answers import clean_answers, item_specs
from .models import Campaign, Instrument, Item, ItemKind, RespondentGroup
from .services import response_submit

FIXED_COLUMNS = ["grupp", "organisation", "datum"]


@dataclass(frozen=True)
class CodebookRow:
    column: str
    question: str
    kind: str
    allowed: str


def allowed_values(item: Item) -> str:
    if item.kind == ItemKind.TEXT:
        return _("fritext")
    if item.kind == ItemKind.CHOICE:
        return ", ".join(f"{n} = {option}" for n, option in enumerate(item.options, start=1))
    if item.kind == ItemKind.RING:
        return _("1 = beskrivning 1 stämmer bäst, 3 = beskrivning 2, 5 = beskrivning 3, 2 och 4 däremellan, 9 = vet ej")
    return _("1 = stämmer inte alls … 5 = stämmer helt, 9 = vet ej")


def codebook_rows(instrument: Instrument, groups: list[str] | None = None) -> list[CodebookRow]:
    group_codes = groups or [g.value for g in RespondentGroup]
    rows = [
        CodebookRow(
            "grupp",
            _("Respondentgrupp (obligatorisk)"),
            _("kod"),
            ", ".join(f"{g} = {RespondentGroup(g).label}" for g in group_codes if g in RespondentGroup.values),
        ),
        CodebookRow("organisation", _("Organisation (valfri)"), _("text"), _("namnet på en av förbundets medlemmar")),
        CodebookRow("datum", _("Datum då enkäten fylldes i (valfri)"), _("datum"), _("ÅÅÅÅ-MM-DD, standard i dag")),
    ]
    for item in instrument.items.order_by("position"):
        rows.append(CodebookRow(item.code, item.text, str(item.get_kind_display()), allowed_values(item)))
    return rows


def codebook_header(instrument: Instrument) -> list[str]:
    return [row.column for row in codebook_rows(instrument)]


@dataclass
class PaperRow:
    line: int
    group: str
    agency: Any
    day: date
    answers: dict[str, str]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # Excel on Windows saves "CSV" in this encoding


def read_paper_file(handle: BinaryIO, campaign: Campaign, *, today: date) -> tuple[list[PaperRow], list[str]]:
    """Parse and validate the whole file; returns (rows, errors). Rows are only usable when errors is empty."""
    text = _decode(handle.read())
    if not text.strip():
        return [], [_("Filen är tom.")]
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    items = list(campaign.instrument.items.order_by("position"))
    codes = [item.code for item in items]
    errors: list[str] = []
    unknown = [h for h in header if h and h not in codes and h not in FIXED_COLUMNS]
    if unknown:
        errors.append(_("Okända kolumner: %(list)s.") % {"list": ", ".join(unknown)})
    if "grupp" not in header:
        errors.append(_("Kolumnen ”grupp” saknas."))
    missing = [c for c in codes if c not in header]
    if missing:
        errors.append(_("Kolumner saknas: %(list)s (se export_codebook).") % {"list": ", ".join(missing)})
    if errors:
        return [], errors

    labels = {
        str(RespondentGroup(g).label).lower(): g for g in campaign.respondent_groups if g in RespondentGroup.values
    }
    agencies = {a.name.lower(): a for a in campaign.association.agencies.all()}
    specs = item_specs(items)
    rows: list[PaperRow] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                _("Rad %(line)s: %(found)s kolumner, men rubrikraden har %(expected)s.")
                % {"line": line, "found": len(values), "expected": len(header)}
            )
            continue
        record = dict(zip(header, (v.strip() for v in values), strict=True))
        group = record.get("grupp", "")
        group = group if group in campaign.respondent_groups else labels.get(group.lower(), "")
        if not group:
            errors.append(
                _("Rad %(line)s, kolumn grupp: ”%(value)s” är inte en av mätomgångens grupper (%(groups)s).")
                % {"line": line, "value": record.get("grupp", ""), "groups": ", ".join(campaign.respondent_groups)}
            )
        agency = None
        if record.get("organisation"):
            agency = agencies.get(record["organisation"].lower())
            if agency is None:
                errors.append(
                    _("Rad %(line)s, kolumn organisation: ”%(value)s” är inte medlem i förbundet.")
                    % {"line": line, "value": record["organisation"]}
                )
        day = today
        if record.get("datum"):
            try:
                day = date.fromisoformat(record["datum"])
            except ValueError:
                errors.append(
                    _("Rad %(line)s, kolumn datum: ”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).")
                    % {"line": line, "value": record["datum"]}
                )
            else:
                if not campaign.opens_on <= day <= max(campaign.closes_on, today):
                    errors.append(
                        _("Rad %(line)s, kolumn datum: %(value)s ligger utanför mätomgångens period.")
                        % {"line": line, "value": record["datum"]}
                    )
        answers = {code: record.get(code, "") for code in codes}
        _clean, answer_errors = clean_answers(specs, answers)
        for code, message in answer_errors.items():
            errors.append(
                _("Rad %(line)s, kolumn %(column)s: %(message)s") % {"line": line, "column": code, "message": message}
            )
        rows.append(PaperRow(line=line, group=group, agency=agency, day=day, answers=answers))
    if not rows and not errors:
        errors.append(_("Filen har inga svarsrader."))
    return rows, errors


class PaperImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def import_paper_file(handle: BinaryIO, campaign: Campaign, *, today: date) -> int:
    """Validate everything, then write every row in one transaction; raises PaperImportError and writes nothing."""
    rows, errors = read_paper_file(handle, campaign, today=today)
    if errors:
        raise PaperImportError(errors)
    with transaction.atomic():
        for row in rows:
            response_submit(
                campaign=campaign,
                respondent_group=row.group,
                raw_answers=row.answers,
                submission_key=secrets.token_urlsafe(16),
                agency=row.agency,
                paper=True,
                today=row.day,
            )
    return len(rows)
