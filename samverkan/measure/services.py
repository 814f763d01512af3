"""Writes for measure: campaigns, invitations, submissions and result snapshots.

Services own their transactions: a failed write leaves nothing half done.
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max as models_max
from django.db.models import Min as models_min
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task_backends

from samverkan.common.errors import ServiceError
from samverkan.common.sql import fetchone as sql_fetchone
from samverkan.common.sql import table
from samverkan.common.text import control_character, control_character_message
from samverkan.tenancy.models import Agency, Association

from . import anonymity, stats
from .answers import DONT_KNOW, clean_answers, item_specs
from .models import (
    Answer,
    Campaign,
    CampaignLink,
    Draft,
    HallmarkScore,
    Instrument,
    Invitation,
    Item,
    ItemKind,
    MailStatus,
    PendingResponse,
    Receipt,
    RespondentGroup,
    Response,
)
from .publishing import responses_publish as responses_publish
from .publishing import responses_waiting as responses_waiting
from .selectors import instrument_items
from .snapshot import snapshot_refresh


class SubmissionError(Exception):
    """A submission that must not be stored; the message is for the respondent."""


class AlreadySubmitted(SubmissionError):
    pass


class InvitationUsed(SubmissionError):
    pass


class CampaignClosed(SubmissionError):
    pass


class InvalidAnswers(SubmissionError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Några svar behöver rättas."))
        self.errors = errors


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def _text_errors(errors: dict[str, list[str]], field: str, value: str, *, required: bool = True) -> None:
    """Empty (when required) or control characters: refused here, whatever form or API sent it."""
    if required and not value.strip():
        errors.setdefault(field, []).append(_("Fältet måste fyllas i."))
    character = control_character(value)
    if character is not None:
        errors.setdefault(field, []).append(control_character_message(character))


def _campaign_errors(
    *,
    association: Association,
    campaign: Campaign | None,
    name: str,
    respondent_groups: Sequence[str],
    opens_on: date,
    closes_on: date,
    min_group_size: int,
) -> dict[str, list[str]]:
    """The rules every round obeys, whether created or edited, from a form or elsewhere."""
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "name", name)
    others = Campaign.objects.for_association(association).filter(name=name)
    if campaign is not None:
        others = others.exclude(pk=campaign.pk)
    if "name" not in errors and others.exists():
        errors["name"] = [_("Det finns redan en mätomgång med det namnet.")]
    groups = list(respondent_groups)
    if not groups:
        errors["respondent_groups"] = [_("Välj minst en respondentgrupp.")]
    elif len(set(groups)) != len(groups):
        # Each group has exactly one open link (one_link_per_group): a repeated group was an IntegrityError.
        errors["respondent_groups"] = [_("Samma respondentgrupp är vald flera gånger.")]
    elif any(group not in RespondentGroup.values for group in groups):
        errors["respondent_groups"] = [_("Okänd respondentgrupp.")]
    if closes_on < opens_on:
        errors["closes_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    floor = stats.platform_min_group_size()  # SAMVERKAN_MIN_GROUP_SIZE, never below 3
    if min_group_size < floor:
        errors["min_group_size"] = [_("Minsta gruppstorlek får aldrig vara under %(min)s.") % {"min": floor}]
    return errors


@transaction.atomic
def campaign_create(
    *,
    association: Association,
    name: str,
    instrument: Instrument,
    respondent_groups: Sequence[str],
    opens_on: date,
    closes_on: date,
    min_group_size: int = stats.DEFAULT_MIN_GROUP_SIZE,
    previous: Campaign | None = None,
) -> Campaign:
    """A new round with one open link per group. Raises ServiceError (per field) when a rule refuses it.

    A start date in the past is allowed here (paper answers collected earlier need one); the staff
    form asks for an explicit confirmation first.
    """
    if previous is not None and previous.association_id != association.pk:
        raise ValueError("previous campaign belongs to another association")
    if instrument.association_id not in (None, association.pk):
        raise ValueError("instrument belongs to another association")
    name = name.strip()
    errors = _campaign_errors(
        association=association,
        campaign=None,
        name=name,
        respondent_groups=respondent_groups,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group_size=min_group_size,
    )
    if previous is not None and previous.instrument.name != instrument.name:
        errors["previous"] = [_("Föregående mätomgång måste använda samma enkät för att kunna jämföras.")]
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                association=association,
                name=name,
                instrument=instrument,
                respondent_groups=list(respondent_groups),
                opens_on=opens_on,
                closes_on=closes_on,
                min_group_size=min_group_size,
                previous=previous,
            )
    except IntegrityError:  # the same name saved a moment ago by someone else
        raise ServiceError({"name": _("Det finns redan en mätomgång med det namnet.")}) from None
    # A version used by a campaign is frozen: editing makes a new version.
    if not instrument.frozen:
        Instrument.objects.filter(pk=instrument.pk).update(frozen=True)
    CampaignLink.objects.bulk_create(
        CampaignLink(campaign=campaign, respondent_group=group, token=_new_token()) for group in respondent_groups
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    respondent_groups: Sequence[str],
    opens_on: date,
    closes_on: date,
    min_group_size: int,
) -> Campaign:
    """Change a round's name, dates, groups and minimum group size.

    A group can be removed only while nobody in it has answered or been invited (their answers
    or links would be orphaned); an added group gets its open link. The start date cannot move
    past the first answer, and the minimum group size never goes below the platform's floor.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    name = name.strip()
    errors = _campaign_errors(
        association=campaign.association,
        campaign=campaign,
        name=name,
        respondent_groups=respondent_groups,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group_size=min_group_size,
    )
    groups = list(respondent_groups)
    removed = [g for g in campaign.respondent_groups if g not in groups]
    if removed and "respondent_groups" not in errors:
        answered = set(
            Response.objects.filter(campaign=campaign, respondent_group__in=removed).values_list(
                "respondent_group", flat=True
            )
        ) | set(
            PendingResponse.objects.filter(campaign=campaign, respondent_group__in=removed).values_list(
                "respondent_group", flat=True
            )
        )
        invited = set(
            Invitation.objects.filter(campaign=campaign, respondent_group__in=removed).values_list(
                "respondent_group", flat=True
            )
        )
        for group in removed:
            label = RespondentGroup(group).label if group in RespondentGroup.values else group
            if group in answered:
                errors.setdefault("respondent_groups", []).append(
                    _("%(group)s kan inte tas bort: gruppen har redan svar.") % {"group": label}
                )
            elif group in invited:
                errors.setdefault("respondent_groups", []).append(
                    _("%(group)s kan inte tas bort: gruppen har fått inbjudningar.") % {"group": label}
                )
    first_answer = _first_answer_day(campaign)
    if first_answer is not None and opens_on > first_answer and "closes_on" not in errors:
        errors.setdefault("opens_on", []).append(
            _("Det finns svar från %(date)s, så startdatumet kan inte vara senare än så.")
            % {"date": first_answer.isoformat()}
        )
    if errors:
        raise ServiceError(errors)
    campaign.name = name
    campaign.respondent_groups = groups
    campaign.opens_on = opens_on
    campaign.closes_on = closes_on
    campaign.min_group_size = min_group_size
    try:
        with transaction.atomic():
            campaign.save(update_fields=["name", "respondent_groups", "opens_on", "closes_on", "min_group_size"])
    except IntegrityError:
        raise ServiceError({"name": _("Det finns redan en mätomgång med det namnet.")}) from None
    CampaignLink.objects.filter(campaign=campaign, respondent_group__in=removed).delete()
    existing = set(CampaignLink.objects.filter(campaign=campaign).values_list("respondent_group", flat=True))
    CampaignLink.objects.bulk_create(
        CampaignLink(campaign=campaign, respondent_group=group, token=_new_token())
        for group in groups
        if group not in existing
    )
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, today: date | None = None) -> Campaign:
    campaign.closed_on = today or timezone.localdate()
    campaign.save(update_fields=["closed_on"])
    # Closing publishes what is still waiting, however few: the round's results are final.
    responses_publish(campaign=campaign, everything=True)
    Draft.objects.filter(campaign=campaign).delete()
    snapshot_refresh(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_reopen(*, campaign: Campaign, closes_on: date, today: date | None = None) -> Campaign:
    """Open a closed round again until `closes_on` (today or later); its links and answers are kept."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on is None and campaign.closes_on >= today:
        raise ServiceError(_("Mätomgången är inte stängd."))
    if closes_on < today:
        raise ServiceError({"closes_on": _("Det nya slutdatumet måste vara i dag eller senare.")})
    if closes_on < campaign.opens_on:
        raise ServiceError({"closes_on": _("Slutdatum kan inte vara före startdatum.")})
    campaign.closed_on = None
    campaign.closes_on = closes_on
    campaign.save(update_fields=["closed_on", "closes_on"])
    return campaign


@dataclass(frozen=True)
class CampaignContents:
    """What deleting a round deletes, for the confirmation page."""

    responses: int
    invitations: int
    later_rounds: int  # rounds that continue this one: they lose their comparison


def _first_answer_day(campaign: Campaign) -> date | None:
    """The earliest answer's date, published or still waiting (only the date of a waiting one is read)."""
    days = [Response.objects.filter(campaign=campaign).aggregate(first=models_min("submitted_on"))["first"]]
    days += [
        date.fromisoformat(anonymity.unseal(sealed)["day"])
        for sealed in PendingResponse.objects.filter(campaign=campaign).values_list("sealed", flat=True)
    ]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def campaign_contents(*, campaign: Campaign) -> CampaignContents:
    return CampaignContents(
        responses=Response.objects.filter(campaign=campaign).count() + responses_waiting(campaign=campaign),
        invitations=Invitation.objects.filter(campaign=campaign).count(),
        later_rounds=Campaign.objects.filter(previous=campaign).count(),
    )


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> CampaignContents:
    """Delete a round with its answers, links, invitations, receipts, drafts and results, all or nothing."""
    contents = campaign_contents(campaign=campaign)
    Answer.objects.filter(response__campaign=campaign).delete()
    HallmarkScore.objects.filter(response__campaign=campaign).delete()
    Campaign.objects.filter(pk=campaign.pk).delete()
    return contents


def invitations_create(
    *, campaign: Campaign, emails: Iterable[str], respondent_group: str, answer_base_url: str
) -> tuple[int, int]:
    """Invite each address once; returns (queued, skipped as already invited).

    The mail goes out from background tasks once this transaction commits (tasks.invitation_mail_send),
    each address with its own delivery status. `answer_base_url` is the personal-link page; the secret
    goes after "#", so it never reaches a server log, and is derived again when the mail is built.
    """
    today = timezone.localdate()
    existing = dict(Invitation.objects.filter(campaign=campaign).values_list("email", "mail_status"))
    failed = dict(
        Invitation.objects.filter(campaign=campaign, mail_status=MailStatus.FAILED).values_list("email", "pk")
    )
    requeued: list[int] = []
    new: list[Invitation] = []
    order: list[int | Invitation] = []  # ids and new rows in the order given, for the mail batches
    skipped = 0
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        if email in failed:
            # Its mail never arrived: inviting the address again sends the same link again.
            requeued.append(failed[email])
            order.append(failed[email])
            continue
        if email in existing:
            skipped += 1
            continue
        nonce = secrets.token_hex(16)
        invitation = Invitation(
            campaign=campaign,
            respondent_group=respondent_group,
            email=email,
            nonce=nonce,
            lookup=anonymity.invitation_lookup(anonymity.invitation_token(nonce)),
            sent_on=today,
            mail_status=MailStatus.QUEUED,
        )
        new.append(invitation)
        order.append(invitation)
    with transaction.atomic():
        # One UPDATE and a few multi-row INSERTs, not a statement per address: the request's time must
        # not grow with the list (bench/invitations.py), the mail itself is the worker's.
        if requeued:
            Invitation.objects.filter(pk__in=requeued).update(
                mail_status=MailStatus.QUEUED, mail_attempts=0, mail_error=""
            )
        Invitation.objects.bulk_create(new)
        if any(invitation.pk is None for invitation in new):  # a database that returns no ids from a bulk insert
            ids = dict(
                Invitation.objects.filter(campaign=campaign, lookup__in=[i.lookup for i in new]).values_list(
                    "lookup", "pk"
                )
            )
            for invitation in new:
                invitation.pk = ids[invitation.lookup]
        created = [entry if isinstance(entry, int) else entry.pk for entry in order]
        _enqueue_mail(created, answer_base_url, reminder=False)
    return len(created), skipped


class ReminderInProgress(Exception):
    """Mail of this round is still being sent: a reminder now would mail people twice."""


def invitations_remind(*, campaign: Campaign, answer_base_url: str) -> int:
    """Remind every invitee, with the same personal link; returns how many reminders are queued.

    In an anonymous round nobody can know who has answered, so the reminder goes to everyone and says
    that those who already answered need do nothing; the link still works only once. Refused while
    earlier mail of the round is still queued, so it can't be started twice.
    """
    with transaction.atomic():
        invitations = Invitation.objects.select_for_update().filter(campaign=campaign)
        ids = list(invitations.values_list("pk", flat=True))
        if Invitation.objects.filter(pk__in=ids, mail_status=MailStatus.QUEUED).exists():
            raise ReminderInProgress(_("Utskicket pågår fortfarande. Vänta tills det är klart innan du påminner."))
        Invitation.objects.filter(pk__in=ids).update(
            reminded_on=timezone.localdate(), mail_status=MailStatus.QUEUED, mail_attempts=0, mail_error=""
        )
        _enqueue_mail(ids, answer_base_url, reminder=True)
    return len(ids)


def _enqueue_mail(ids: Sequence[int], answer_base_url: str, *, reminder: bool) -> None:
    from .tasks import MAIL_BATCH, invitation_mail_send

    batches = [list(ids[i : i + MAIL_BATCH]) for i in range(0, len(ids), MAIL_BATCH)]

    def enqueue() -> None:
        for batch in batches:
            invitation_mail_send.enqueue(batch, answer_base_url, reminder)

    # The database queue shares the transaction: its job rows commit with the invitations, or neither
    # does (and the immediate backend runs them now). A queue elsewhere (Redis) must only hear of them
    # after the commit, or a worker could look for invitations that are not there yet.
    backend = type(task_backends["default"]).__module__
    if backend.startswith(("django_tasks_db", "django_tasks.backends.immediate")):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def invitation_message(
    campaign: Campaign, email: str, url: str, token: str, *, reminder: bool
) -> tuple[str, str, None, list[str]]:
    subject = (_("Påminnelse: %(name)s") if reminder else _("Enkät: %(name)s")) % {"name": campaign.name}
    values = {
        "association": campaign.association.name,
        "url": url,
        "code": token,
        "closes": campaign.closes_on.isoformat(),
    }
    if reminder:
        body = (
            _(
                "Hej!\n\nEnkäten från %(association)s stänger snart.\n\n"
                "Har du redan svarat? Tack! Då behöver du inte göra något: svaren är anonyma, så vi kan inte se "
                "vem som har svarat och skickar därför påminnelsen till alla.\n\n"
                "Har du inte svarat än? Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
                "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n\n"
                "Enkäten stänger %(closes)s.\n"
            )
            % values
        )
    else:
        body = (
            _(
                "Hej!\n\n%(association)s vill veta hur integrerad samverkan är i dag. "
                "Det tar omkring tio minuter och du är anonym: ditt svar kan inte kopplas till dig.\n\n"
                "Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
                "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n\n"
                "Enkäten stänger %(closes)s.\n"
            )
            % values
        )
    return subject, body, None, [email]


# --- drafts -------------------------------------------------------------------------------------------
#
# A draft is keyed by a keyed hash of the link and a random device cookie (or of the personal link's
# secret), and its answers are sealed. Saving and submitting meet in one row: the submission turns it
# into a tombstone in the same statement that stores the answers, and a save never overwrites a
# tombstone, so a late autosave (a tap just before "Skicka") can never bring the answers back, whatever
# the timing. The database's unique key serialises the two.

DRAFT_MAX_CHARACTERS = 64_000  # all answers of the longest questionnaire, with room to spare

_DRAFT_UPSERT = """
INSERT INTO {draft} ({rowid}"key", "campaign_id", "sealed", "submitted", "updated_on")
VALUES ({rowid_value}%s, %s, %s, {submitted}, %s)
ON CONFLICT ("key") DO UPDATE SET "sealed" = excluded."sealed", "submitted" = excluded."submitted",
    "updated_on" = excluded."updated_on"
WHERE NOT {draft}."submitted"
"""


def _draft_upsert(cursor: Any, *, key: str, campaign_id: int, sealed: str, submitted: bool, today: date) -> None:
    sqlite = connection.vendor == "sqlite"
    sql = _DRAFT_UPSERT.format(
        draft=table(Draft),
        rowid='"rowid", ' if sqlite else "",
        rowid_value="%s, " if sqlite else "",
        submitted="TRUE" if submitted else "FALSE",
    )
    if not sqlite and connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    params = [key, campaign_id, sealed, today]
    cursor.execute(sql, [_random_rowid(), *params] if sqlite else params)


@dataclass(frozen=True)
class DraftState:
    data: dict[str, Any]
    submitted: bool  # this device (or personal link) has already sent its answers


def draft_save(*, campaign: Campaign, draft_key: str, data: Mapping[str, Any], today: date | None = None) -> bool:
    """Keep what has been typed so far; returns False (and keeps nothing) once that form has been sent."""
    size = sum(len(str(k)) + len(str(v)) for k, v in data.items())
    if size > DRAFT_MAX_CHARACTERS:
        raise DraftTooLarge(_("Utkastet är för stort för att sparas. Korta ner de långa svaren."))
    key = anonymity.draft_key(draft_key)
    form_key = str(data.get("submission_key") or "")
    with transaction.atomic(), connection.cursor() as cursor:
        if form_key and Receipt.objects.filter(key=anonymity.form_receipt(form_key)).exists():
            submitted = True
        else:
            _draft_upsert(
                cursor,
                key=key,
                campaign_id=campaign.pk,
                sealed=anonymity.seal(dict(data)),
                submitted=False,
                today=today or timezone.localdate(),
            )
            submitted = Draft.objects.filter(key=key, submitted=True).exists()
    return not submitted


def draft_load(*, draft_key: str) -> DraftState:
    """The draft on this device (or of this personal link), or that it was already sent."""
    draft = Draft.objects.filter(key=anonymity.draft_key(draft_key)).first()
    if draft is None:
        return DraftState({}, submitted=False)
    if draft.submitted:
        return DraftState({}, submitted=True)
    data = anonymity.unseal(draft.sealed) if draft.sealed else {}
    form_key = str(data.get("submission_key") or "")
    if form_key and Receipt.objects.filter(key=anonymity.form_receipt(form_key)).exists():
        return DraftState({}, submitted=True)
    return DraftState(dict(data), submitted=False)


def draft_discard(*, draft_key: str) -> None:
    """ "Börja om": forget this device's unsent answers (a tombstone stays, so a sent form stays sent)."""
    Draft.objects.filter(key=anonymity.draft_key(draft_key), submitted=False).delete()


class DraftTooLarge(SubmissionError):
    pass


class EmptySubmission(SubmissionError):
    pass


def _hallmark_scores(
    items: Sequence[Item], values: Mapping[str, int | str]
) -> list[tuple[str, float | None, int | None]]:
    by_hallmark: dict[str, list[Item]] = {}
    for item in items:
        if item.kind == ItemKind.LIKERT and item.hallmark:
            by_hallmark.setdefault(item.hallmark, []).append(item)
    scores = []
    for hallmark, hallmark_items in by_hallmark.items():
        answers: list[int | None] = []
        for item in hallmark_items:
            value = values.get(item.code)
            answers.append(value if isinstance(value, int) and value != DONT_KNOW else None)
        index = stats.respondent_index(answers, len(hallmark_items))
        complete = sum(a for a in answers if a is not None) if all(a is not None for a in answers) else None
        scores.append((hallmark, index, complete))
    return scores


def _answer_rows(items: Sequence[Item], values: Mapping[str, int | str]) -> list[tuple[int, int | None, str]]:
    """(item id, value, text) per answered item; values are already clean."""
    by_code = {item.code: item for item in items}
    return [
        (by_code[code].pk, value if isinstance(value, int) else None, value if isinstance(value, str) else "")
        for code, value in values.items()
    ]


def _random_rowid() -> int:
    """SQLite numbers rows in the order they are written; an explicit random rowid says nothing."""
    return secrets.randbits(62) + 1


@dataclass(frozen=True)
class _Writes:
    """Everything one submission writes, worked out (and validated) before anything is written."""

    campaign_id: int
    respondent_group: str
    form_receipt: str
    invitation_receipt: str | None
    draft_key: str | None
    sealed: str  # the response (answers, scores, agency, date), sealed until it is published
    today: date


# The whole submission is one statement on PostgreSQL (one round trip, no BEGIN/COMMIT) and one
# transaction elsewhere. It writes only rows that name nobody: the receipts (keyed hashes, the primary
# key), the sealed pending response (random key) and the device's draft tombstone. The invitation is
# never touched, so no transaction id, row version or order ties an invitation to an answer.
_SUBMIT_SQL_POSTGRESQL = """
WITH form_receipt AS (
    INSERT INTO {receipt} ("key", "campaign_id", "kind", "respondent_group")
    VALUES (%(form)s, %(campaign)s, 'form', %(group)s)
), invitation_receipt AS (
    INSERT INTO {receipt} ("key", "campaign_id", "kind", "respondent_group")
    SELECT %(invitation)s::text, %(campaign)s, 'invitation', %(group)s WHERE %(invitation)s::text IS NOT NULL
), pending AS (
    INSERT INTO {pending} ("id", "campaign_id", "respondent_group", "sealed")
    VALUES (%(id)s::uuid, %(campaign)s, %(group)s, %(sealed)s)
), draft AS (
    INSERT INTO {draft} ("key", "campaign_id", "sealed", "submitted", "updated_on")
    SELECT %(draft)s::text, %(campaign)s, '', TRUE, %(today)s::date WHERE %(draft)s::text IS NOT NULL
    ON CONFLICT ("key") DO UPDATE SET "sealed" = '', "submitted" = TRUE, "updated_on" = excluded."updated_on"
)
SELECT 1
"""


@functools.cache
def _submit_sql_postgresql() -> str:
    return _SUBMIT_SQL_POSTGRESQL.format(receipt=table(Receipt), pending=table(PendingResponse), draft=table(Draft))


def _store_postgresql(writes: _Writes) -> None:
    params = {
        "form": writes.form_receipt,
        "invitation": writes.invitation_receipt,
        "campaign": writes.campaign_id,
        "group": writes.respondent_group,
        "id": uuid.uuid4(),
        "sealed": writes.sealed,
        "draft": writes.draft_key,
        "today": writes.today,
    }
    # Inside an outer transaction (paper import) a savepoint keeps a duplicate from spoiling it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        sql_fetchone(_submit_sql_postgresql(), params)


def _store_generic(writes: _Writes) -> None:
    """The same writes as one transaction (SQLite: in-process, so cheap), every row at a random rowid."""
    receipt, pending = table(Receipt), table(PendingResponse)
    with transaction.atomic(), connection.cursor() as cursor:
        receipts = [(writes.form_receipt, "form")]
        if writes.invitation_receipt is not None:
            receipts.append((writes.invitation_receipt, "invitation"))
        for key, kind in receipts:
            cursor.execute(
                f'INSERT INTO {receipt} ("rowid", "key", "campaign_id", "kind", "respondent_group") '  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [_random_rowid(), key, writes.campaign_id, kind, writes.respondent_group],
            )
        cursor.execute(
            f'INSERT INTO {pending} ("rowid", "id", "campaign_id", "respondent_group", "sealed") '  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [_random_rowid(), uuid.uuid4().hex, writes.campaign_id, writes.respondent_group, writes.sealed],
        )
        if writes.draft_key is not None:
            _draft_upsert(
                cursor,
                key=writes.draft_key,
                campaign_id=writes.campaign_id,
                sealed="",
                submitted=True,
                today=writes.today,
            )


def response_submit(
    *,
    campaign: Campaign,
    respondent_group: str,
    raw_answers: Mapping[str, Any],
    submission_key: str,
    agency: Agency | None = None,
    agency_id: int | None = None,
    invitation_token: str | None = None,
    draft_key: str | None = None,
    paper: bool = False,
    today: date | None = None,
) -> None:
    """Store one questionnaire exactly once, sealed, to be published with its group's next batch.

    Exactly once: a receipt only the holder of the form's one-time key can derive, and for a personal
    link one only the holder of the link can derive, are written in the statement that stores the
    (sealed, pending) response: a double click, a reload or a replayed request hits a receipt and stores
    nothing. Nothing written names the invitee or the order of answering; the response itself appears
    only when it is published together with at least the minimum group size of others
    (publishing.responses_publish: when results are next read, by the scheduled refresh_results, or
    at closing), so the answer path stays one statement.

    `agency` must be one of the association's agencies (else SubmissionError);
    `agency_id`, as typed into a form, is kept only when it is one (else dropped).
    """
    today = today or timezone.localdate()
    if not paper and not campaign.is_open(today):
        raise CampaignClosed(_("Enkäten är stängd och tar inte emot fler svar."))
    if respondent_group not in campaign.respondent_groups:
        raise SubmissionError(_("Okänd respondentgrupp."))
    if agency is not None:
        if not _is_member(campaign, agency.pk):
            raise SubmissionError(_("Okänd organisation."))
        agency_id = agency.pk
    elif agency_id is not None and not _is_member(campaign, agency_id):
        agency_id = None
    items = instrument_items(campaign.instrument)
    values, errors = clean_answers(item_specs(items), raw_answers)
    if errors:
        raise InvalidAnswers(errors)
    if not values:
        raise EmptySubmission(_("Du har inte svarat på någon fråga. Svara på minst en fråga innan du skickar in."))
    writes = _Writes(
        campaign_id=campaign.pk,
        respondent_group=respondent_group,
        form_receipt=anonymity.form_receipt(submission_key),
        invitation_receipt=anonymity.invitation_receipt(invitation_token) if invitation_token is not None else None,
        draft_key=anonymity.draft_key(draft_key) if draft_key else None,
        sealed=anonymity.seal(
            {
                "agency": agency_id,
                "paper": paper,
                "day": today.isoformat(),
                "answers": _answer_rows(items, values),
                "scores": _hallmark_scores(items, values),
            }
        ),
        today=today,
    )
    store = _store_postgresql if connection.vendor == "postgresql" else _store_generic
    try:
        store(writes)
    except IntegrityError:
        # The form's own receipt first: a resubmission of the same form (double click, lost reply) is thanked.
        if Receipt.objects.filter(key=writes.form_receipt).exists():
            raise AlreadySubmitted(_("Ditt svar är redan inskickat. Tack!")) from None
        if writes.invitation_receipt and Receipt.objects.filter(key=writes.invitation_receipt).exists():
            raise InvitationUsed(_("Den här länken har redan använts för att svara.")) from None
        raise


def _is_member(campaign: Campaign, agency_id: int) -> bool:
    return Association.agencies.through.objects.filter(
        association_id=campaign.association_id, agency_id=agency_id
    ).exists()


def _copy_items(*, source: Instrument, target: Instrument) -> None:
    Item.objects.bulk_create(
        Item(
            instrument=target,
            position=item.position,
            code=item.code,
            kind=item.kind,
            section=item.section,
            text=item.text,
            level=item.level,
            is_target=item.is_target,
            hallmark=item.hallmark,
            options=item.options,
            benchmark_key=item.benchmark_key,
            is_local=item.is_local,
        )
        for item in source.items.all()
    )


def _instrument_name_errors(association: Association, name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "name", name)
    taken = Instrument.objects.available_to(association).filter(name=name)
    if "name" not in errors and taken.exists():
        errors["name"] = [_("Det finns redan en enkät med det namnet.")]
    return errors


def _instrument_named(association: Association, name: str, **fields: Any) -> Instrument:
    """A new instrument of the association; ServiceError (on `name`) when the name is taken or unusable."""
    name = name.strip()
    errors = _instrument_name_errors(association, name)
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            return Instrument.objects.create(association=association, name=name, **fields)
    except IntegrityError:  # instrument_version_unique: the same name saved a moment ago
        raise ServiceError({"name": _("Det finns redan en enkät med det namnet.")}) from None


@transaction.atomic
def instrument_create(*, association: Association, name: str, kind: str) -> Instrument:
    return _instrument_named(association, name, kind=kind)


@transaction.atomic
def instrument_copy(*, association: Association, source: Instrument, name: str) -> Instrument:
    """The association's own copy; core items keep their locked wording and stay comparable."""
    copy = _instrument_named(association, name, kind=source.kind, intro=source.intro, based_on=source)
    _copy_items(source=source, target=copy)
    return copy


@transaction.atomic
def item_add(*, instrument: Instrument, kind: str, text: str, options: Sequence[str] = ()) -> tuple[Instrument, Item]:
    """Add a local item. A frozen version (used by a campaign) is never changed: a new version is made."""
    if instrument.association_id is None:
        raise ValueError("core instruments are locked; copy one first")
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "text", text)
    for option in options:
        _text_errors(errors, "options", option)
    if errors:
        raise ServiceError(errors)
    if instrument.frozen:
        latest = Instrument.objects.filter(association=instrument.association, name=instrument.name).order_by(
            "-version"
        )[0]
        new = Instrument.objects.create(
            association=instrument.association,
            name=instrument.name,
            version=latest.version + 1,
            kind=instrument.kind,
            intro=instrument.intro,
            based_on=instrument,
        )
        _copy_items(source=instrument, target=new)
        instrument = new
    position = (instrument.items.aggregate(m=models_max("position"))["m"] or 0) + 1
    local_count = instrument.items.filter(is_local=True).count()
    item = Item.objects.create(
        instrument=instrument,
        position=position,
        code=f"egen_{local_count + 1}",
        kind=kind,
        section=_("Egna frågor"),
        text=text,
        options=list(options),
        is_local=True,
        benchmark_key="",  # local items are never benchmarked
    )
    return instrument, item


def invitation_answered(*, token: str) -> bool:
    """Whether this personal link has been used: only its holder (who has the token) can ask."""
    return Receipt.objects.filter(key=anonymity.invitation_receipt(token)).exists()
