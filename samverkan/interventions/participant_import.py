"""Importing participants from a file: the whole file checked against the association's register, then written
all at once or not at all.

The file's format and each row's own checks are in import_file.py and import_rows.py. Here, per row:

- `insats` must name one of the association's interventions (its name or its code, any case), one the person
  importing may edit participants of (an association admin: every one; else a deltagaransvarig of it);
- the dates lie within the intervention (not before its start, not after its end);
- the identity of a participation is (intervention, `kod`): the same identity twice in the file is an error;
  a row whose identity is already in the register with the same start date is the same participation: it is
  unchanged, or its other values are updated (typically the end, registered later); with another start date
  it is a different participation under a code already taken, an error;
- a personal identity number (only its keyed hash is known) may not appear twice in one intervention with
  overlapping periods, in the file or against the register under another code;
- a row without consent is an anonymous participation: added to the intervention's anonymous counts (years,
  not dates; no code).

Nothing is written unless every row is valid, and then everything in one transaction. Idempotent: the same
participations are unchanged, and a file whose rows were read in before (same rows, any order, CSV or XLSX)
is recognised by its digest (`ParticipantImport`) and changes nothing at all, anonymous counts included and
participants deleted on request since then not re-created.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.tenancy.models import Association, Membership, Role

from . import identity
from .import_file import FileError, open_participant_file
from .import_rows import (
    CODE,
    END,
    INTERVENTION,
    PERSONNUMMER,
    START,
    ParticipationRow,
    Problem,
    ReadOutcome,
    RowChecker,
    checked_rows,
    shown,
)
from .import_vocabulary import normal_value
from .models import AnonymousParticipation, Intervention, Participant, ParticipantImport
from .participant_access import has_participant_role, participant_interventions

PREVIEW_ROWS = 10
MAX_PROBLEMS = 1000  # reported in full up to here; past it, counted (rows past the first thousand errors)
BATCH = 2000
PARTICIPANT_FIELDS = (
    "consent_date",
    "gender",
    "age_band",
    "end",
    "education",
    "income_start",
    "income_end",
    "end_reason",
    "status_90",
)


class ParticipantImportError(Exception):
    """The file has errors (or could not be written); nothing was written. `check` says everything."""

    def __init__(self, check: ImportCheck) -> None:
        self.check = check
        super().__init__("\n".join(str(p) for p in check.problems))


@dataclass
class ImportCheck:
    """What the file would do: counts, the first rows, and every problem (up to MAX_PROBLEMS, then counted)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    anonymous: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    updated_lines: list[int] = field(default_factory=list)
    sample: list[ParticipationRow] = field(default_factory=list)
    interventions: dict[int, str] = field(default_factory=dict)  # id -> name, of the file's interventions
    digest: str = ""
    already: ParticipantImport | None = None  # the same file was read in before: nothing to do
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def hidden_problems(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def messages(self) -> list[str]:
        messages = [str(p) for p in self.problems]
        if self.hidden_problems:
            messages.append(
                ngettext(
                    "…och %(count)s fel till. Rätta felen ovan och läs in filen igen.",
                    "…och %(count)s fel till. Rätta felen ovan och läs in filen igen.",
                    self.hidden_problems,
                )
                % {"count": self.hidden_problems}
            )
        return messages


def _hash_personnummer(number: str) -> tuple[str, ...]:
    # Every digest the number may be stored under (the current key first, then old keys being rotated out).
    return tuple(h.digest for h in identity.candidate_hashes(number))


def may_import(user: Any, association: Association) -> bool:
    """An admin of the association, or a deltagaransvarig of at least one of its interventions."""
    if user is None or not user.is_authenticated:
        return False
    membership = Membership.objects.filter(user=user, association=association).first()
    if membership is None:
        return False
    return membership.has_role(Role.ADMIN) or has_participant_role(user, association)


def _editable_interventions(user: Any, association: Association) -> set[int] | None:
    """The interventions `user` may add participants to; None: all of them (an admin, or the command line)."""
    if user is None:
        return None
    membership = Membership.objects.filter(user=user, association=association).first()
    if membership is not None and membership.has_role(Role.ADMIN):
        return None
    return {intervention.pk for intervention in participant_interventions(user, association)}


class _Register:
    """The association's interventions and the participants a batch of rows touches."""

    def __init__(self, association: Association, user: Any) -> None:
        self.interventions: dict[str, Intervention] = {}
        listing = []
        for intervention in Intervention.objects.filter(association=association).order_by("name"):
            self.interventions.setdefault(normal_value(intervention.code), intervention)
            self.interventions.setdefault(normal_value(intervention.name), intervention)
            listing.append(f"{intervention.name} ({intervention.code})")
        self.listing = ", ".join(listing[:30]) + (" …" if len(listing) > 30 else "") or _("inga")
        self.editable = _editable_interventions(user, association)

    def intervention(self, name: str) -> Intervention | None:
        return self.interventions.get(normal_value(name))

    @staticmethod
    def existing(rows: list[tuple[ParticipationRow, Intervention]]) -> dict[tuple[int, str], Participant]:
        wanted = {(intervention.pk, row.code) for row, intervention in rows}
        # One narrow query per batch; the participants themselves only for the codes that are there.
        matches = [
            pk
            for pk, intervention_id, code in Participant.objects.filter(
                intervention_id__in={pk for pk, _code in wanted}, code__in={code for _pk, code in wanted}
            ).values_list("pk", "intervention_id", "code")
            if (intervention_id, code) in wanted
        ]
        if not matches:
            return {}
        return {(p.intervention_id, p.code): p for p in Participant.objects.filter(pk__in=matches)}

    @staticmethod
    def same_identity(rows: list[tuple[ParticipationRow, Intervention]]) -> dict[tuple[int, str], list[Participant]]:
        digests: dict[int, set[str]] = {}
        for row, intervention in rows:
            if row.personnummer_hashes:
                digests.setdefault(intervention.pk, set()).update(row.personnummer_hashes)
        found: dict[tuple[int, str], list[Participant]] = {}
        for intervention_id, wanted in digests.items():
            for participant in Participant.objects.filter(intervention_id=intervention_id, identity_hash__in=wanted):
                found.setdefault((intervention_id, participant.identity_hash), []).append(participant)
        return found


def _overlap(start: datetime.date, end: datetime.date | None, other_start: datetime.date, other_end: Any) -> bool:
    far = datetime.date.max
    return start <= (other_end or far) and other_start <= (end or far)


def _row_digest(row: ParticipationRow, intervention: Intervention) -> int:
    text = "\x1f".join(
        [
            str(intervention.pk),
            row.code,
            row.consent.isoformat() if row.consent else "",
            row.gender,
            row.age_band,
            row.start.isoformat(),
            row.end.isoformat() if row.end else "",
            row.education,
            row.income_start,
            row.income_end,
            row.end_reason,
            row.status_90,
            row.personnummer_hashes[0] if row.personnummer_hashes else "",
        ]
    )
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def _values(row: ParticipationRow) -> dict[str, Any]:
    return {
        "consent_date": row.consent,
        "gender": row.gender,
        "age_band": row.age_band,
        "end": row.end,
        "education": row.education,
        "income_start": row.income_start,
        "income_end": row.income_end,
        "end_reason": row.end_reason,
        "status_90": row.status_90,
    }


class _Walk:
    """One pass over the file: checks every row; with `write`, also writes each batch of valid rows."""

    def __init__(
        self,
        association: Association,
        *,
        user: Any,
        today: datetime.date,
        purpose: str = "",
        write: bool = False,
    ) -> None:
        self.association = association
        self.user = user
        self.today = today
        self.purpose = purpose
        self.write = write
        self.register = _Register(association, user)
        self.check = ImportCheck()
        self.seen_codes: dict[tuple[int, str], int] = {}  # (intervention, kod) -> row
        self.seen_people: dict[tuple[int, str], list[tuple[int, datetime.date, datetime.date | None]]] = {}
        self.anonymous: Counter[tuple[int, int, int | None, str, str, str, str]] = Counter()
        self.digest = 0

    def run(self, rows: Iterable[tuple[ParticipationRow | None, list[Problem]]]) -> ImportCheck:
        batch: list[tuple[ParticipationRow, Intervention]] = []
        for row, problems in rows:
            self.check.rows += 1
            for problem in problems:
                self.check.add(problem)
            if row is None:
                continue
            intervention = self._intervention_of(row)
            if intervention is None:
                continue
            self.digest = (self.digest + _row_digest(row, intervention)) % (1 << 256)
            if len(self.check.sample) < PREVIEW_ROWS:
                self.check.sample.append(row)
            if row.anonymous:
                self.check.anonymous += 1
                key = (
                    intervention.pk,
                    row.start.year,
                    row.end.year if row.end else None,
                    row.gender,
                    row.age_band,
                    row.income_start,
                    row.income_end,
                )
                self.anonymous[key] += 1
                continue
            if self._in_file_duplicate(row, intervention):
                continue
            batch.append((row, intervention))
            if len(batch) >= BATCH:
                self._against_register(batch)
                batch = []
        if batch:
            self._against_register(batch)
        self.check.digest = f"{self.digest:064x}"
        if self.write and self.check.ok:
            self._write_anonymous()
        return self.check

    def _intervention_of(self, row: ParticipationRow) -> Intervention | None:
        intervention = self.register.intervention(row.intervention)
        if intervention is None:
            self.check.add(
                Problem(
                    row.line,
                    INTERVENTION,
                    _("”%(value)s” är inte en av förbundets insatser (namn eller kod). Insatser: %(list)s.")
                    % {"value": shown(row.intervention), "list": self.register.listing},
                )
            )
            return None
        self.check.interventions.setdefault(intervention.pk, intervention.name)
        problems = 0
        if self.register.editable is not None and intervention.pk not in self.register.editable:
            self.check.add(
                Problem(
                    row.line,
                    INTERVENTION,
                    _("du är inte deltagaransvarig för insatsen ”%(name)s” och kan inte lägga till deltagare i den.")
                    % {"name": intervention.name},
                )
            )
            problems += 1
        period = {
            "start": intervention.start.isoformat(),
            "end": intervention.end.isoformat() if intervention.end else "",
            "name": intervention.name,
        }
        if row.start < intervention.start:
            self.check.add(
                Problem(
                    row.line,
                    START,
                    _("startdatumet %(value)s ligger före insatsens start (%(start)s, %(name)s).")
                    % {"value": row.start.isoformat(), **period},
                )
            )
            problems += 1
        if intervention.end is not None:
            if row.start > intervention.end:
                self.check.add(
                    Problem(
                        row.line,
                        START,
                        _("startdatumet %(value)s ligger efter insatsens slut (%(end)s, %(name)s).")
                        % {"value": row.start.isoformat(), **period},
                    )
                )
                problems += 1
            elif row.end is not None and row.end > intervention.end:
                self.check.add(
                    Problem(
                        row.line,
                        END,
                        _("slutdatumet %(value)s ligger efter insatsens slut (%(end)s, %(name)s).")
                        % {"value": row.end.isoformat(), **period},
                    )
                )
                problems += 1
        return None if problems else intervention

    def _in_file_duplicate(self, row: ParticipationRow, intervention: Intervention) -> bool:
        key = (intervention.pk, row.code.casefold())
        first = self.seen_codes.get(key)
        duplicate = False
        if first is not None:
            self.check.add(
                Problem(
                    row.line,
                    CODE,
                    _("koden ”%(code)s” i insatsen ”%(name)s” finns redan på rad %(first)s i filen.")
                    % {"code": row.code, "name": intervention.name, "first": first},
                )
            )
            duplicate = True
        else:
            self.seen_codes[key] = row.line
        if row.personnummer_hashes:
            person = (intervention.pk, row.personnummer_hashes[0])
            for line, start, end in self.seen_people.get(person, []):
                if _overlap(row.start, row.end, start, end):
                    self.check.add(
                        Problem(
                            row.line,
                            PERSONNUMMER,
                            _("samma personnummer som på rad %(first)s, i samma insats och under samma tid.")
                            % {"first": line},
                        )
                    )
                    duplicate = True
                    break
            else:
                self.seen_people.setdefault(person, []).append((row.line, row.start, row.end))
        return duplicate

    def _against_register(self, batch: list[tuple[ParticipationRow, Intervention]]) -> None:
        existing = self.register.existing(batch)
        people = self.register.same_identity(batch)
        create: list[Participant] = []
        change: list[Participant] = []
        for row, intervention in batch:
            participant = existing.get((intervention.pk, row.code))
            bad = False
            for digest in row.personnummer_hashes:
                for other in people.get((intervention.pk, digest), []):
                    if other.code != row.code and _overlap(row.start, row.end, other.start, other.end):
                        self.check.add(
                            Problem(
                                row.line,
                                PERSONNUMMER,
                                _(
                                    "en deltagare med samma personnummer finns redan i insatsen ”%(name)s” under "
                                    "koden ”%(code)s”, under samma tid."
                                )
                                % {"name": intervention.name, "code": other.code},
                            )
                        )
                        bad = True
                        break
                if bad:
                    break
            if participant is not None:
                if participant.start != row.start:
                    self.check.add(
                        Problem(
                            row.line,
                            CODE,
                            _(
                                "koden ”%(code)s” finns redan i insatsen ”%(name)s” för ett deltagande som började "
                                "%(start)s. Ett nytt deltagande behöver en ny kod."
                            )
                            % {"code": row.code, "name": intervention.name, "start": participant.start.isoformat()},
                        )
                    )
                    continue
                if (
                    row.personnummer_hashes
                    and participant.identity_hash
                    and participant.identity_hash not in row.personnummer_hashes
                ):
                    self.check.add(
                        Problem(
                            row.line,
                            PERSONNUMMER,
                            _("personnumret stämmer inte med det som finns registrerat för koden ”%(code)s”.")
                            % {"code": row.code},
                        )
                    )
                    continue
            if bad:
                continue
            values = _values(row)
            if participant is None:
                self.check.created += 1
                if self.write:
                    create.append(
                        Participant(
                            intervention=intervention,
                            code=row.code,
                            start=row.start,
                            consent_purpose=self.purpose,
                            consent_recorded_by=self.user,
                            identity_hash=row.personnummer_hashes[0] if row.personnummer_hashes else "",
                            identity_key_id=identity.current_key_id() if row.personnummer_hashes else "",
                            **values,
                        )
                    )
                continue
            changed = {name: value for name, value in values.items() if getattr(participant, name) != value}
            if row.personnummer_hashes and participant.identity_hash != row.personnummer_hashes[0]:
                changed["identity_hash"] = row.personnummer_hashes[0]  # no hash yet, or one under an old key
                changed["identity_key_id"] = identity.current_key_id()
            if not changed:
                self.check.unchanged += 1
                continue
            self.check.updated += 1
            if len(self.check.updated_lines) < MAX_PROBLEMS:
                self.check.updated_lines.append(row.line)
            if self.write:
                for name, value in changed.items():
                    setattr(participant, name, value)
                change.append(participant)
        if self.write and self.check.ok:
            Participant.objects.bulk_create(create, batch_size=500)
            if change:
                Participant.objects.bulk_update(
                    change, [*PARTICIPANT_FIELDS, "identity_hash", "identity_key_id"], batch_size=500
                )

    def _write_anonymous(self) -> None:
        """Add the file's anonymous participations to the counts: existing counters are incremented in the
        database (F, so a concurrent import's increment is not lost), new combinations are created in bulk."""
        fields = ("intervention_id", "start_year", "end_year", "gender", "age_band", "income_start", "income_end")
        existing: dict[tuple[Any, ...], int] = {}
        counters = AnonymousParticipation.objects.filter(
            intervention_id__in={key[0] for key in self.anonymous}
        ).values_list("pk", *fields)
        for pk, *values in counters:
            existing.setdefault(tuple(values), pk)
        create = []
        for key, count in sorted(self.anonymous.items(), key=lambda item: tuple(str(v) for v in item[0])):
            pk = existing.get(key)
            if pk is None:
                create.append(AnonymousParticipation(**dict(zip(fields, key, strict=True)), count=count))
            else:
                AnonymousParticipation.objects.filter(pk=pk).update(count=F("count") + count)
        AnonymousParticipation.objects.bulk_create(create, batch_size=500)


def _rows_of(file: IO[bytes], *, today: datetime.date) -> tuple[Iterator[Any], ReadOutcome] | Problem:
    try:
        row_file = open_participant_file(file)
    except FileError as error:
        return Problem(None, None, error.message)
    outcome = ReadOutcome()
    checker = RowChecker(today=today, hash_personnummer=_hash_personnummer)
    return checked_rows(row_file, checker, outcome), outcome


def _walk(
    file: IO[bytes],
    association: Association,
    *,
    user: Any,
    today: datetime.date,
    purpose: str = "",
    write: bool = False,
) -> ImportCheck:
    opened = _rows_of(file, today=today)
    if isinstance(opened, Problem):
        check = ImportCheck()
        check.add(opened)
        return check
    rows, outcome = opened
    check = _Walk(association, user=user, today=today, purpose=purpose, write=write).run(rows)
    # The header's problems come first; a row the reader could not get past comes last.
    if outcome.header_problems:
        check.problems = outcome.header_problems + check.problems
        check.problem_count += len(outcome.header_problems)
    if outcome.stopped is not None:
        check.add(outcome.stopped)
    if check.ok and not outcome.data_rows:
        check.add(Problem(None, None, _("Filen har bara en rubrikrad och inga deltagare.")))
    if check.ok:
        check.already = ParticipantImport.objects.filter(association=association, digest=check.digest).first()
    return check


def participant_import_check(
    *, association: Association, file: IO[bytes], user: Any = None, today: datetime.date | None = None
) -> ImportCheck:
    """Read and check the whole file against the register; writes nothing."""
    return _walk(file, association, user=user, today=today or timezone.localdate())


def participant_import_run(
    *,
    association: Association,
    file: IO[bytes],
    user: Any = None,
    purpose: str,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportCheck:
    """Check everything, then write every row in one transaction; raise ParticipantImportError having written
    nothing when any row is bad. A file read in before changes nothing (`check.already`, `written` False).

    `user` None: the command line (every intervention of the association; consent recorded by nobody).
    """
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            check = _walk(file, association, user=user, today=today)
            if not check.ok:
                raise ParticipantImportError(check)
            if check.already is not None:
                return check
            if progress is not None:
                progress(_("Filen är kontrollerad: %(rows)s rader. Sparar …") % {"rows": check.rows})
            written = _walk(file, association, user=user, today=today, purpose=purpose, write=True)
            if not written.ok or written.digest != check.digest:  # the register changed between the two passes
                raise ParticipantImportError(written)
            ParticipantImport.objects.create(
                association=association,
                digest=check.digest,
                imported_by=user,
                created=written.created,
                updated=written.updated,
                anonymous=written.anonymous,
            )
    except IntegrityError:
        # Somebody else wrote the same participants (or read in the same file) at the same moment.
        failed = ImportCheck()
        failed.add(
            Problem(
                None,
                None,
                _("Någon annan ändrade deltagarna samtidigt, så inget sparades. Läs in filen igen."),
            )
        )
        raise ParticipantImportError(failed) from None
    written.written = True
    return written
