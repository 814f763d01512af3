"""The codebook of a paper file: its columns in order, what each means and what a cell may hold.

`export_codebook` prints it (text or CSV, or just the header row to fill in); `paper.read_paper_file`
reads files that follow it. The allowed values are exactly what `answers.clean_answers` accepts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .answers import TEXT_MAX_LENGTH
from .models import Instrument, InstrumentKind, Item, ItemKind, RespondentGroup

GROUP_COLUMN = "grupp"
AGENCY_COLUMN = "organisation"
DATE_COLUMN = "datum"
FIXED_COLUMNS = [GROUP_COLUMN, AGENCY_COLUMN, DATE_COLUMN]


@dataclass(frozen=True)
class CodebookRow:
    column: str
    question: str
    kind: str
    allowed: str
    section: str = ""
    notes: tuple[str, ...] = field(default=())  # ring descriptions: what 1, 3 and 5 stand for


def _scale_anchors(instrument: Instrument) -> tuple[str, str, str]:
    # The same words as the web form's scale (answer_views._scale_labels).
    if instrument.kind == InstrumentKind.PARTICIPANT:
        return _("stämmer inte alls"), _("stämmer helt"), _("vet ej")
    return _("instämmer inte alls"), _("instämmer helt"), _("vet ej / ej aktuellt")


def allowed_values(item: Item, instrument: Instrument | None = None) -> str:
    """What a cell of this item may hold, exactly what `clean_answers` accepts."""
    if item.kind == ItemKind.TEXT:
        return _("fritext (högst %(max)s tecken)") % {"max": TEXT_MAX_LENGTH}
    if item.kind == ItemKind.CHOICE:
        return ", ".join(f"{n} = {option}" for n, option in enumerate(item.options, start=1))
    if item.kind == ItemKind.RING:
        return _("1–5, 9 = vet ej (1 = beskrivning 1 stämmer bäst, 3 = beskrivning 2, 5 = beskrivning 3)")
    low, high, dont_know = _scale_anchors(instrument or item.instrument)
    return _("1–5, 9 = %(dont_know)s (1 = %(low)s, 5 = %(high)s)") % {"low": low, "high": high, "dont_know": dont_know}


def _ring_notes(item: Item) -> tuple[str, ...]:
    if item.kind != ItemKind.RING:
        return ()
    return tuple(f"{value} = {text}" for value, text in zip((1, 3, 5), item.options, strict=False))


def group_label(code: str) -> str:
    return str(RespondentGroup(code).label) if code in RespondentGroup.values else code


def codebook_rows(
    instrument: Instrument, *, groups: Sequence[str] | None = None, agencies: Iterable[str] | None = None
) -> list[CodebookRow]:
    """Every column of a paper file, in order: grupp, organisation, datum, then the items by position.

    `groups` narrows `grupp` to a campaign's groups; `agencies` names the member agencies.
    """
    group_codes = list(groups) if groups else list(RespondentGroup.values)
    agency_names = sorted(agencies or [])
    rows = [
        CodebookRow(
            GROUP_COLUMN,
            _("Respondentgrupp (obligatorisk)"),
            _("kod"),
            ", ".join(f"{g} = {group_label(g)}" for g in group_codes)
            + _(" (koden eller benämningen; bara mätomgångens grupper)"),
        ),
        CodebookRow(
            AGENCY_COLUMN,
            _("Organisation som den svarande arbetar i (valfri)"),
            _("text"),
            (_("tomt eller en av: %(names)s") % {"names": ", ".join(agency_names)})
            if agency_names
            else _("tomt eller namnet på en av förbundets medlemmar"),
        ),
        CodebookRow(
            DATE_COLUMN,
            _("Datum då enkäten fylldes i (valfritt)"),
            _("datum"),
            _("ÅÅÅÅ-MM-DD inom mätomgångens period; tomt = i dag (mätomgångens sista dag om den har passerat)"),
        ),
    ]
    for item in instrument.items.order_by("position"):
        rows.append(
            CodebookRow(
                item.code,
                item.text,
                str(item.get_kind_display()),
                allowed_values(item, instrument),
                section=item.section,
                notes=_ring_notes(item),
            )
        )
    return rows


def codebook_header(instrument: Instrument) -> list[str]:
    return [row.column for row in codebook_rows(instrument)]


def codebook_csv(rows: Sequence[CodebookRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["kolumn", "fråga", "typ", "tillåtna värden"])
    for row in rows:
        writer.writerow([row.column, row.question, row.kind, row.allowed])
    return buffer.getvalue()


def codebook_text(instrument: Instrument, rows: Sequence[CodebookRow]) -> str:
    lines = [
        _("Kodbok för pappersenkäter: %(name)s, version %(version)s")
        % {"name": instrument.name, "version": instrument.version},
        "",
        _("En rad per ifylld enkät, rubrikraden överst. Tom cell = obesvarad fråga."),
        _("Kolumnerna skiljs åt med ; (eller ,). Spara som CSV i UTF-8."),
        _("Läs in med: manage.py import_responses --association SLUG --campaign NAMN FIL.csv"),
    ]
    section = None
    for number, row in enumerate(rows, start=1):
        heading = row.section or (_("Bakgrund") if row.column in FIXED_COLUMNS else "")
        if heading != section:
            section = heading
            lines += ["", f"== {heading} =="]
        lines.append(f"{number:>3}. {row.column}  [{row.kind}]")
        lines.append(f"     {row.question}")
        lines.append(f"     {_('Tillåtna värden')}: {row.allowed}")
        lines.extend(f"       {note}" for note in row.notes)
    lines += ["", _("Rubrikrad att klistra in överst i filen:"), ";".join(row.column for row in rows)]
    return "\n".join(lines) + "\n"
