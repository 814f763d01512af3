"""The columns of a participant file and the check of each row's values, without the database.

One row per participation. The first row names the columns, in Swedish, in any order:
`insats`, `kod`, `samtycke`, `kön`, `åldersgrupp`, `startdatum`, `slutdatum`, `utbildning`,
`försörjning_start`, `försörjning_slut`, `avslutsorsak`, `status_90_dagar`, and optionally `personnummer`.
A row without a consent date (`samtycke`) is an anonymous participation: only the intervention, gender, age
band, dates and income sources are kept, so the row must leave the other personal columns empty.

A personal identity number is checked (date and check digit, with the `personnummer` package) and turned into
a keyed hash at once by the caller's `hash_personnummer`; the number itself is never kept, never put in a
message and never shown back ("ogiltigt personnummer på rad 7").

Values are matched without regard to case, spaces or dash kind (16-19 is 16–19); an income source may be given
as its code, its whole Swedish label or one of the label's parts (`försörjningsstöd`, `ekonomiskt bistånd`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from personnummer import personnummer as swedish_identity

from samverkan.common.text import control_character, control_character_message

from . import import_vocabulary as vocabulary
from .import_file import CELL_MAX_CHARACTERS, RowFile, RowFileError

INTERVENTION = "insats"
CODE = "kod"
CONSENT = "samtycke"
GENDER = "kön"
AGE_BAND = "åldersgrupp"
START = "startdatum"
END = "slutdatum"
EDUCATION = "utbildning"
INCOME_START = "försörjning_start"
INCOME_END = "försörjning_slut"
END_REASON = "avslutsorsak"
STATUS_90 = "status_90_dagar"
PERSONNUMMER = "personnummer"

REQUIRED_COLUMNS = (
    INTERVENTION,
    CODE,
    CONSENT,
    GENDER,
    AGE_BAND,
    START,
    END,
    EDUCATION,
    INCOME_START,
    INCOME_END,
    END_REASON,
    STATUS_90,
)
OPTIONAL_COLUMNS = (PERSONNUMMER,)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# What a row without consent may hold (PRODUCT.md: without consent only anonymous counts).
ANONYMOUS_COLUMNS = (INTERVENTION, GENDER, AGE_BAND, START, END, INCOME_START, INCOME_END)
PERSONAL_ONLY_COLUMNS = (CODE, EDUCATION, END_REASON, STATUS_90, PERSONNUMMER)
CODE_MAX_LENGTH = 40  # Participant.code
_CODE_PATTERN = re.compile(r"^[0-9A-Za-zÅÄÖåäöÉé_.\-/ ]+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: its row (as a spreadsheet shows it; None for the file), column and a Swedish sentence."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return _("Rad %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("Rad %(line)s, kolumn %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(slots=True)
class ParticipationRow:
    """A row whose values are valid on their own (the database checks come after). Codes, not labels."""

    line: int
    intervention: str  # as written: a name or code, resolved against the association later
    code: str  # "" for an anonymous row
    consent: datetime.date | None
    gender: str
    age_band: str
    start: datetime.date
    end: datetime.date | None
    education: str
    income_start: str
    income_end: str
    end_reason: str
    status_90: str
    # The keyed hash(es) of the identity number, never the number: the current key's first, then old keys'.
    personnummer_hashes: tuple[str, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.consent is None


@dataclass
class Header:
    columns: list[str | None]  # per position: a known column, or None for one to ignore (empty name)
    problems: list[Problem] = field(default_factory=list)


def _normal_name(cell: str) -> str:
    return " ".join(cell.strip().split()).lower()


def read_header(cells: Sequence[str]) -> Header:
    """The columns of the header row; problems for unknown, missing and repeated columns."""
    known = {name: name for name in COLUMNS}
    columns: list[str | None] = []
    unknown: list[str] = []
    repeated: list[str] = []
    for cell in cells:
        name = _normal_name(cell)
        if not name:
            columns.append(None)
            continue
        canonical = known.get(name)
        if canonical is None:
            unknown.append(name if control_character(name) is None else repr(name))
            columns.append(None)
            continue
        if canonical in columns:
            repeated.append(canonical)
        columns.append(canonical)
    problems = []
    if unknown:
        problems.append(
            Problem(
                1,
                None,
                _("okända kolumner i rubrikraden: %(unknown)s. Tillåtna kolumner: %(allowed)s.")
                % {"unknown": ", ".join(unknown), "allowed": ", ".join(COLUMNS)},
            )
        )
    if repeated:
        problems.append(
            Problem(
                1,
                None,
                _("kolumner som finns flera gånger i rubrikraden: %(list)s.")
                % {"list": ", ".join(dict.fromkeys(repeated))},
            )
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(
            Problem(
                1,
                None,
                _("kolumner saknas i rubrikraden: %(list)s. Ladda ner mallen för rätt rubriker.")
                % {"list": ", ".join(missing)},
            )
        )
    return Header(columns=columns, problems=problems)


def parse_date(raw: str) -> datetime.date | None:
    """YYYY-MM-DD (also with a midnight time, as a workbook date comes out); None when not a real date."""
    text = raw.strip()
    if text.endswith((" 00:00:00", "T00:00:00")):
        text = text[:10]
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


_PERSONNUMMER_FORM = re.compile(r"(\d{6}|\d{8})[-+]?\d{4}")


_LOOKS_PERSONAL = re.compile(r"\d{6}(\d{2})?\s*[-+]?\s*\d{4}")


def shown(raw: str) -> str:
    """A refused value as a message may quote it, unless it looks like an identity number (never echoed)."""
    if _LOOKS_PERSONAL.search(raw):
        return _("(värdet visas inte: det liknar ett personnummer)")
    return raw


def _has_birth_date(code: str) -> bool:
    """Eight digits in a row that make a date of birth (YYYYMMDD, 1900–2029): a code must not carry one."""
    for run in re.findall(r"\d{8,}", code):
        for start in range(len(run) - 7):
            window = run[start : start + 8]
            if window[:2] in ("19", "20") and parse_date(f"{window[:4]}-{window[4:6]}-{window[6:]}") is not None:
                return True
    return False


def personnummer_is_valid(raw: str) -> bool:
    """A real date (or coordination number) and a right check digit; 10 or 12 digits, with or without -/+."""
    text = raw.strip()
    if not _PERSONNUMMER_FORM.fullmatch(text):
        return False
    try:
        return bool(swedish_identity.valid(text))
    except Exception:  # the package raises on some malformed input instead of answering False
        return False


class RowChecker:
    """Checks the rows of one file; `today` bounds the dates (no consent, start or end in the future)."""

    def __init__(self, *, today: datetime.date, hash_personnummer: Callable[[str], tuple[str, ...]]) -> None:
        self.today = today
        self.hash_personnummer = hash_personnummer

    def check(self, line: int, record: dict[str, str]) -> tuple[ParticipationRow | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(line, column, message))

        # One search over the whole row; cell by cell only when something is there.
        if control_character("".join(record.values())) is not None or any(
            len(value) > CELL_MAX_CHARACTERS for value in record.values()
        ):
            for column, value in record.items():
                character = control_character(value)
                if character is not None:
                    problem(column, control_character_message(character))
                    record[column] = ""
                elif len(value) > CELL_MAX_CHARACTERS:
                    problem(column, _("värdet är för långt (högst %(max)s tecken).") % {"max": CELL_MAX_CHARACTERS})
                    record[column] = ""

        intervention = record.get(INTERVENTION, "")
        if not intervention:
            problem(INTERVENTION, _("insats saknas (insatsens namn eller kod)."))

        raw_consent = record.get(CONSENT, "")
        consent = None
        if raw_consent:
            consent = parse_date(raw_consent)
            if consent is None:
                problem(CONSENT, _("”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": shown(raw_consent)})
            elif consent > self.today:
                problem(CONSENT, _("samtyckesdatumet %(value)s ligger i framtiden.") % {"value": consent.isoformat()})
        anonymous = not raw_consent

        def choice(column: str, table: vocabulary.Vocabulary, *, required: bool) -> str:
            raw = record.get(column, "")
            if not raw:
                if required:
                    problem(column, _("värde saknas. Tillåtna värden: %(allowed)s.") % {"allowed": table.allowed()})
                return ""
            code = table.lookup(raw)
            if code is None:
                problem(
                    column,
                    _("”%(value)s” är inte ett tillåtet värde. Tillåtna värden: %(allowed)s.")
                    % {"value": shown(raw), "allowed": table.allowed()},
                )
                return ""
            return code

        gender = choice(GENDER, vocabulary.GENDERS, required=True)
        age_band = choice(AGE_BAND, vocabulary.AGE_BANDS, required=True)
        income_start = choice(INCOME_START, vocabulary.INCOME_SOURCES, required=True)

        start = None
        raw_start = record.get(START, "")
        if not raw_start:
            problem(START, _("startdatum saknas (ÅÅÅÅ-MM-DD)."))
        else:
            start = parse_date(raw_start)
            if start is None:
                problem(START, _("”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": shown(raw_start)})
            elif start > self.today:
                problem(START, _("startdatumet %(value)s ligger i framtiden.") % {"value": start.isoformat()})
        end = None
        raw_end = record.get(END, "")
        if raw_end:
            end = parse_date(raw_end)
            if end is None:
                problem(END, _("”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": shown(raw_end)})
            elif start is not None and end < start:
                problem(
                    END,
                    _("slutdatumet %(end)s ligger före startdatumet %(start)s. Har de bytt plats?")
                    % {"end": end.isoformat(), "start": start.isoformat()},
                )
            elif end > self.today:
                problem(END, _("slutdatumet %(value)s ligger i framtiden.") % {"value": end.isoformat()})
        ended = bool(raw_end)
        income_end = choice(INCOME_END, vocabulary.INCOME_SOURCES, required=ended)
        if record.get(INCOME_END) and not ended:
            problem(INCOME_END, _("försörjning vid avslut kräver ett slutdatum."))

        code = ""
        education = end_reason = status_90 = ""
        personnummer_hashes: tuple[str, ...] = ()
        if anonymous:
            given = [column for column in PERSONAL_ONLY_COLUMNS if record.get(column)]
            for column in given:
                problem(
                    column,
                    _(
                        "raden saknar samtyckesdatum och registreras därför anonymt; då får kolumnen inte fyllas i. "
                        "Ange samtyckesdatum i kolumnen samtycke, eller töm kolumnen."
                    ),
                )
        else:
            code = record.get(CODE, "")
            if not code:
                problem(CODE, _("kod saknas: en deltagare med samtycke behöver en pseudonym kod."))
            elif _LOOKS_PERSONAL.search(code) or _has_birth_date(code):
                # A code must not reveal who the person is: no identity number, no date of birth.
                problem(
                    CODE,
                    _(
                        "koden liknar ett personnummer eller födelsedatum. Använd en kod som inte avslöjar vem "
                        "personen är."
                    ),
                )
                code = ""
            elif len(code) > CODE_MAX_LENGTH or not _CODE_PATTERN.match(code):
                problem(
                    CODE,
                    _("koden får ha högst %(max)s tecken: bokstäver, siffror, mellanslag och - _ . /")
                    % {"max": CODE_MAX_LENGTH},
                )
                code = ""
            education = choice(EDUCATION, vocabulary.EDUCATION_LEVELS, required=True)
            end_reason = choice(END_REASON, vocabulary.END_REASONS, required=ended)
            if record.get(END_REASON) and not ended:
                problem(END_REASON, _("avslutsorsak kräver ett slutdatum."))
            status_90 = choice(STATUS_90, vocabulary.STATUSES_90_DAYS, required=False)
            if record.get(STATUS_90):
                if not ended:
                    problem(STATUS_90, _("status 90 dagar efter avslut kräver ett slutdatum."))
                elif end is not None and end + datetime.timedelta(days=90) > self.today:
                    problem(
                        STATUS_90,
                        _("90 dagar efter slutdatumet %(end)s har inte gått än.") % {"end": end.isoformat()},
                    )
            raw_number = record.get(PERSONNUMMER, "")
            if raw_number:
                # The hasher checks date and check digit itself (identity.normalise): here only the form.
                if _PERSONNUMMER_FORM.fullmatch(raw_number.strip()):
                    try:
                        personnummer_hashes = self.hash_personnummer(raw_number)
                    except ValueError:  # identity.InvalidIdentityNumber: the stricter check refused it
                        personnummer_hashes = ()
                if not personnummer_hashes:
                    # Never the number itself: not in the message, not in a log.
                    problem(
                        PERSONNUMMER,
                        _("ogiltigt personnummer på rad %(line)s (datum eller kontrollsiffra stämmer inte).")
                        % {"line": line},
                    )
            record.pop(PERSONNUMMER, None)

        if problems or start is None:
            return None, problems
        return (
            ParticipationRow(
                line=line,
                intervention=intervention,
                code=code,
                consent=consent,
                gender=gender,
                age_band=age_band,
                start=start,
                end=end,
                education=education,
                income_start=income_start,
                income_end=income_end,
                end_reason=end_reason,
                status_90=status_90,
                personnummer_hashes=personnummer_hashes,
            ),
            [],
        )


@dataclass
class ReadOutcome:
    """Filled while `checked_rows` runs: the header's and the reader's problems, and how many rows there were."""

    header_problems: list[Problem] = field(default_factory=list)
    stopped: Problem | None = None  # the reader could not go on (an unclosed quote)
    data_rows: int = 0


def checked_rows(
    row_file: RowFile, checker: RowChecker, outcome: ReadOutcome
) -> Iterator[tuple[ParticipationRow | None, list[Problem]]]:
    """Each non-blank data row, checked: (row or None, its problems). Stops after a bad header."""
    columns: list[str | None] | None = None
    rows = row_file.rows()
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            if columns is None:
                outcome.header_problems = [Problem(None, None, _("Filen är tom: den har ingen rubrikrad."))]
            return
        except RowFileError as error:
            outcome.stopped = Problem(error.line, None, error.message + " " + _("Filen lästes inte längre."))
            return
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            header = read_header(cells)
            if header.problems:
                outcome.header_problems = header.problems
                return
            columns = header.columns
            continue
        outcome.data_rows += 1
        extra = [cell for cell in cells[len(columns) :] if cell.strip()]
        if extra:
            yield (
                None,
                [
                    Problem(
                        number,
                        None,
                        _("raden har fler ifyllda celler (%(found)s) än rubrikraden har kolumner (%(expected)s).")
                        % {"found": len(columns) + len(extra), "expected": len(columns)},
                    )
                ],
            )
            continue
        record = {
            name: cells[position].strip() if position < len(cells) else ""
            for position, name in enumerate(columns)
            if name is not None
        }
        yield checker.check(number, record)


def template_rows() -> Iterable[list[str]]:
    """The template file's rows: the header and two examples (one with consent, one anonymous)."""
    yield list(COLUMNS)
    yield [
        "Steget vidare",
        "SV-0001",
        "2026-01-12",
        "kvinna",
        "25–29",
        "2026-01-12",
        "2026-06-30",
        "gymnasial",
        "försörjningsstöd",
        "lön/anställning",
        "arbete",
        "",
        "",
    ]
    yield ["Steget vidare", "", "", "man", "30–39", "2026-02-02", "", "", "a-kassa", "", "", "", ""]
