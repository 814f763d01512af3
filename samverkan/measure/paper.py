"""Paper answers: reading and validating a paper file, and its all-or-nothing import.

The codebook the file follows (its columns and allowed values) is in paper_codebook.py.

A paper file is a CSV file with one row per filled-in questionnaire and a
header row naming the columns:

- `grupp` (required): the respondent group, as its code (`staff`) or its
  Swedish label (`Insatspersonal`); one of the campaign's groups;
- `organisation` (optional column, empty cells allowed): the name of one of
  the association's member agencies;
- `datum` (optional column, empty cells allowed): YYYY-MM-DD within the
  campaign's period; an empty date means today, or the campaign's last day
  when the period is already over (paper answers may be entered late);
- then one column per item code, as printed by `export_codebook`; an empty
  cell means the question was not answered.

`;`, `,` or tab separate the columns; UTF-8 with or without BOM (Excel's
Windows-1252 is accepted too). The whole file is validated first and every
bad row and column is reported, in Swedish; nothing is written unless every
row is valid, and then all rows are written in one transaction. Answers are
checked with `answers.clean_answers`, the web form's own validation, so the
messages are the same.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.common.text import (
    TextFileError,
    control_character,
    control_character_message,
    decode_text_file,
    without_control_characters,
)
from samverkan.tenancy.models import Agency, Association

from .answers import TEXT_MAX_LENGTH, clean_answers, item_specs
from .models import Campaign, Instrument
from .paper_codebook import AGENCY_COLUMN, DATE_COLUMN, FIXED_COLUMNS, GROUP_COLUMN, group_label
from .publishing import responses_publish
from .submissions import SubmissionError, response_submit

DELIMITERS = (";", ",", "\t")


class PaperError(Exception):
    """Something a person must fix; `errors` are complete Swedish sentences."""

    def __init__(self, errors: str | list[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


class PaperImportError(PaperError):
    """The file has errors; nothing was written."""


def instrument_for(name: str, *, version: int | None = None, association: Association | None = None) -> Instrument:
    """The named instrument, newest version unless `version`; the association's own before a core one."""
    candidates = Instrument.objects.filter(name=name)
    candidates = (
        candidates.available_to(association) if association is not None else candidates.filter(association=None)
    )
    own = candidates.filter(association=association) if association is not None else candidates.none()
    for queryset in (own, candidates.filter(association=None)):
        if version is not None:
            queryset = queryset.filter(version=version)
        instrument = queryset.order_by("-version").first()
        if instrument is not None:
            return instrument
    if candidates.exists():
        versions = ", ".join(str(v) for v in candidates.order_by("version").values_list("version", flat=True))
        raise PaperError(
            _("Enkäten ”%(name)s” finns inte i version %(version)s. Versioner: %(versions)s.")
            % {"name": name, "version": version, "versions": versions}
        )
    available = Instrument.objects.filter(association=None)
    if association is not None:
        available = Instrument.objects.available_to(association)
    names = ", ".join(dict.fromkeys(available.order_by("name").values_list("name", flat=True))) or _("inga")
    hint = "" if association is not None else " " + _("Ett förbunds egna enkäter kräver --association.")
    raise PaperError(_("Enkäten ”%(name)s” finns inte. Finns: %(names)s.") % {"name": name, "names": names} + hint)


# Reading a paper file --------------------------------------------------------------------------------------------


@dataclass
class PaperRow:
    line: int  # the row number a spreadsheet shows; the header is row 1
    group: str
    agency: Agency | None
    day: date
    answers: dict[str, str]
    dated: bool = True  # False: no date in the file, the default was used


def _read_text(file: str | os.PathLike[str] | IO[Any]) -> str:
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            data: bytes | str = handle.read()
    else:
        data = file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        # UTF-8 with or without BOM, else Excel's Windows-1252; control characters are reported per cell.
        return decode_text_file(data, control_characters_allowed=True)
    except TextFileError as error:
        raise PaperImportError(str(error)) from None


def _csv_error_message(error: csv.Error) -> str:
    """Python's csv messages, in Swedish and saying what to fix."""
    text = str(error)
    if "field larger than field limit" in text:
        return _(
            "en cell är längre än %(limit)s tecken (ett fritextsvar får ha högst %(max)s). "
            "Kontrollera citattecknen eller korta texten."
        ) % {"limit": f"{csv.field_size_limit():,}".replace(",", "\u00a0"), "max": TEXT_MAX_LENGTH}
    if "unexpected end of data" in text or "EOF" in text:
        return _(
            'ett citattecken (") öppnar en cell men stängs aldrig, så resten av filen blev en enda cell. '
            "Lägg till det avslutande citattecknet."
        )
    if "expected after" in text:
        return _('efter ett avslutande citattecken (") måste en avgränsare eller radslut följa.')
    return _("raden kan inte läsas som CSV.")


def _merged_rows(values: Sequence[str], columns: int, delimiter: str) -> bool:
    """A quoted cell that swallowed whole rows: a quote left open until a later stray quote.

    A cell may hold a line break (Excel writes one for Alt+Enter), but not a line that
    itself has as many separators as a row: that is the next questionnaire, merged in.
    """
    return any(
        line.count(delimiter) >= columns - 1
        for value in values
        if "\n" in value or "\r" in value
        for line in value.splitlines()[1:]
    )


def _delimiter(header_line: str) -> str:
    return max(DELIMITERS, key=lambda d: (header_line.count(d), -DELIMITERS.index(d)))


def _default_day(campaign: Campaign, today: date) -> date:
    return min(max(today, campaign.opens_on), campaign.closes_on)


def _problem_reporter(errors: list[str], line: int) -> Callable[[str, str], None]:
    def problem(column: str, message: str) -> None:
        errors.append(
            _("Rad %(line)s, kolumn %(column)s: %(message)s") % {"line": line, "column": column, "message": message}
        )

    return problem


def read_paper_file(
    file: str | os.PathLike[str] | IO[Any], campaign: Campaign, *, today: date | None = None
) -> tuple[list[PaperRow], list[str]]:
    """Parse and validate the whole file: (rows, errors). The rows may only be written when errors is empty."""
    today = today or timezone.localdate()
    try:
        text = _read_text(file)
    except PaperImportError as error:
        return [], error.errors
    if not text.strip():
        return [], [_("Filen är tom.")]
    lines = text.splitlines()
    first = next(line for line in lines if line.strip())
    delimiter = _delimiter(first)
    # strict: an unclosed quote is an error at the end of the file, not a silent merge of every row after it.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)

    header_cells: list[str] = []
    try:
        for header_cells in reader:
            if any(cell.strip() for cell in header_cells):
                break
    except csv.Error as error:
        return [], [_("Rubrikraden: %(message)s") % {"message": _csv_error_message(error)}]
    header_line = reader.line_num

    items = list(campaign.instrument.items.order_by("position"))
    codes = [item.code for item in items]
    known = {c.lower(): c for c in FIXED_COLUMNS + codes}

    errors: list[str] = []
    header: list[str] = []  # canonical names; "" for a column without a name
    unknown: list[str] = []
    duplicates: list[str] = []
    for cell in header_cells:
        name = without_control_characters(cell.strip())
        canonical = known.get(name.lower(), "") if name else ""
        if name and not canonical:
            unknown.append(name)
            canonical = name
        if canonical and canonical in header:
            duplicates.append(canonical)
        header.append(canonical)
    if unknown:
        errors.append(
            _("Okända kolumner i rubrikraden: %(list)s. Se export_codebook för kolumnerna.")
            % {"list": ", ".join(unknown)}
        )
    if duplicates:
        errors.append(_("Kolumner som finns flera gånger: %(list)s.") % {"list": ", ".join(dict.fromkeys(duplicates))})
    if GROUP_COLUMN not in header:
        errors.append(_("Kolumnen ”grupp” saknas i rubrikraden."))
    missing = [c for c in codes if c not in header]
    if missing:
        errors.append(
            _("Kolumner saknas i rubrikraden: %(list)s. Se export_codebook för kolumnerna.")
            % {"list": ", ".join(missing)}
        )
    if errors:
        return [], errors

    groups = {g.lower(): g for g in campaign.respondent_groups}
    groups.update({group_label(g).lower(): g for g in campaign.respondent_groups})
    group_list = ", ".join(f"{g} ({group_label(g)})" for g in campaign.respondent_groups)
    agencies = {" ".join(a.name.split()).lower(): a for a in campaign.association.agencies.all()}
    specs = item_specs(items)
    default_day = _default_day(campaign, today)
    period = {"opens": campaign.opens_on.isoformat(), "closes": campaign.closes_on.isoformat()}

    rows: list[PaperRow] = []
    number, last_line = header_line, reader.line_num
    while True:
        number += 1  # the row a spreadsheet shows: one per record
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # The reader cannot say where the next row starts: report this one and read no further.
            errors.append(
                _("Rad %(line)s: %(message)s Filen lästes inte längre.")
                % {"line": number, "message": _csv_error_message(error)}
            )
            break
        first_line, last_line = last_line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if last_line > first_line and _merged_rows(values, len(header), delimiter):
            column = next(
                (name or str(i + 1) for i, (name, v) in enumerate(zip(header, values, strict=False)) if "\n" in v),
                "?",
            )
            errors.append(
                _(
                    'Rad %(line)s, kolumn %(column)s: ett citattecken (") stängs inte i cellen, så textraderna '
                    "%(first)s–%(last)s blev en enda rad. Lägg till det avslutande citattecknet."
                )
                % {"line": number, "column": column, "first": first_line, "last": last_line}
            )
            continue
        extra = values[len(header) :]
        if len(values) < len(header) or any(v.strip() for v in extra):
            errors.append(
                _("Rad %(line)s: raden har %(found)s kolumner men rubrikraden har %(expected)s.")
                % {"line": number, "found": len(values), "expected": len(header)}
            )
            continue
        record = {name: value.strip() for name, value in zip(header, values, strict=False) if name}
        row_errors: list[str] = []
        problem = _problem_reporter(row_errors, number)
        for column in FIXED_COLUMNS:  # answers are checked by clean_answers, like the web form's
            character = control_character(record.get(column, ""))
            if character is not None:
                problem(column, control_character_message(character))
                record[column] = without_control_characters(record[column])

        raw_group = record.get(GROUP_COLUMN, "")
        group = groups.get(raw_group.lower(), "")
        if not raw_group:
            problem(GROUP_COLUMN, _("grupp saknas (en av %(groups)s).") % {"groups": group_list})
        elif not group:
            problem(
                GROUP_COLUMN,
                _("”%(value)s” är inte en av mätomgångens grupper (%(groups)s).")
                % {"value": raw_group, "groups": group_list},
            )

        agency = None
        raw_agency = record.get(AGENCY_COLUMN, "")
        if raw_agency:
            agency = agencies.get(" ".join(raw_agency.split()).lower())
            if agency is None:
                problem(
                    AGENCY_COLUMN,
                    _("”%(value)s” är inte medlem i förbundet (%(names)s).")
                    % {"value": raw_agency, "names": ", ".join(sorted(a.name for a in agencies.values()))},
                )

        day, dated = default_day, False
        raw_day = record.get(DATE_COLUMN, "")
        if raw_day:
            dated = True
            try:
                day = date.fromisoformat(raw_day)
                if len(raw_day) != 10:
                    raise ValueError(raw_day)
            except ValueError:
                problem(DATE_COLUMN, _("”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": raw_day})
            else:
                if not campaign.opens_on <= day <= campaign.closes_on:
                    problem(
                        DATE_COLUMN,
                        _("%(value)s ligger utanför mätomgångens period (%(opens)s–%(closes)s).")
                        % {"value": raw_day, **period},
                    )
                elif day > today:
                    problem(DATE_COLUMN, _("%(value)s ligger i framtiden.") % {"value": raw_day})

        answers = {code: record.get(code, "") for code in codes}
        _values, answer_errors = clean_answers(specs, answers)
        for code in codes:  # in column order
            if code in answer_errors:
                problem(code, answer_errors[code])

        errors.extend(row_errors)
        rows.append(PaperRow(line=number, group=group, agency=agency, day=day, answers=answers, dated=dated))
    if not rows and not errors:
        errors.append(_("Filen har inga svarsrader, bara en rubrikrad."))
    return rows, errors


# Importing -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    count: int
    undated: int  # rows without a date, stored with `default_day`
    default_day: date
    written: bool


def import_paper_file(
    file: str | os.PathLike[str] | IO[Any], campaign: Campaign, *, today: date | None = None, dry_run: bool = False
) -> ImportResult:
    """Validate everything, then write every row in one transaction.

    Raises PaperImportError, having written nothing, when any row is bad or any write fails.
    Paper answers are accepted whether or not the campaign is still open.
    """
    today = today or timezone.localdate()
    rows, errors = read_paper_file(file, campaign, today=today)
    if errors:
        raise PaperImportError(errors)
    result = ImportResult(
        count=len(rows),
        undated=sum(1 for row in rows if not row.dated),
        default_day=_default_day(campaign, today),
        written=not dry_run,
    )
    if dry_run:
        return result
    with transaction.atomic():
        for row in rows:
            try:
                response_submit(
                    campaign=campaign,
                    respondent_group=row.group,
                    raw_answers=row.answers,
                    submission_key=secrets.token_urlsafe(24),
                    agency=row.agency,
                    paper=True,
                    today=row.day,
                )
            except SubmissionError as error:  # leaving the atomic block rolls back every row written so far
                details = getattr(error, "errors", {})
                message = "; ".join(f"{code}: {text}" for code, text in details.items()) or str(error)
                raise PaperImportError(
                    _("Rad %(line)s kunde inte sparas: %(message)s") % {"line": row.line, "message": message}
                ) from error
        # Published by the same rule as answers on the web (a group's batch once it has enough); into a
        # round that has closed, whose results are final, all at once.
        responses_publish(campaign=campaign, everything=not campaign.is_open(today))
    return result
