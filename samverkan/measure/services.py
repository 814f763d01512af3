"""Writes for measure: campaigns, invitations, submissions and result snapshots.

Services own their transactions: a failed write leaves nothing half done.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Max as models_max
from django.db.models import Min as models_min
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.common.sql import columns, table
from samverkan.common.sql import fetchone as sql_fetchone
from samverkan.common.text import control_character, control_character_message
from samverkan.tenancy.models import Agency, Association

from . import stats
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
    RespondentGroup,
    Response,
    SubmissionReceipt,
)
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


def key_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


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
    first_answer = Response.objects.filter(campaign=campaign).aggregate(first=models_min("submitted_on"))["first"]
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


def campaign_contents(*, campaign: Campaign) -> CampaignContents:
    return CampaignContents(
        responses=Response.objects.filter(campaign=campaign).count(),
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
    *, campaign: Campaign, emails: Iterable[str], respondent_group: str, answer_url: Any
) -> tuple[int, int]:
    """Invite each address once; returns (sent, skipped as already invited).

    `answer_url(token)` builds the absolute link; the token itself is only in the e-mail.
    """
    today = timezone.localdate()
    existing = set(Invitation.objects.filter(campaign=campaign).values_list("email", flat=True))
    messages = []
    sent = skipped = 0
    with transaction.atomic():
        for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
            if email in existing:
                skipped += 1
                continue
            token = _new_token()
            Invitation.objects.create(
                campaign=campaign,
                respondent_group=respondent_group,
                email=email,
                token_hash=key_hash(token),
                sent_on=today,
            )
            messages.append(_invitation_message(campaign, email, answer_url(token), reminder=False))
            sent += 1
    send_mass_mail(messages, fail_silently=False)
    return sent, skipped


def invitations_remind(*, campaign: Campaign, answer_url: Any) -> int:
    """Send a new one-time link to everyone who hasn't answered. The old link stops working."""
    today = timezone.localdate()
    messages = []
    with transaction.atomic():
        for invitation in Invitation.objects.select_for_update().filter(campaign=campaign, used=False):
            token = _new_token()
            invitation.token_hash = key_hash(token)
            invitation.reminded_on = today
            invitation.save(update_fields=["token_hash", "reminded_on"])
            messages.append(_invitation_message(campaign, invitation.email, answer_url(token), reminder=True))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)


def _invitation_message(
    campaign: Campaign, email: str, url: str, *, reminder: bool
) -> tuple[str, str, None, list[str]]:
    subject = (_("Påminnelse: %(name)s") if reminder else _("Enkät: %(name)s")) % {"name": campaign.name}
    body = _(
        "Hej!\n\n%(association)s vill veta hur integrerad samverkan är i dag. "
        "Det tar omkring tio minuter och du är anonym: ditt svar kan inte kopplas till dig.\n\n"
        "Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
        "Enkäten stänger %(closes)s.\n"
    ) % {"association": campaign.association.name, "url": url, "closes": campaign.closes_on.isoformat()}
    return subject, body, None, [email]


def _already_submitted(data: Mapping[str, Any]) -> bool:
    key = data.get("submission_key")
    return bool(key) and SubmissionReceipt.objects.filter(key_hash=key_hash(str(key))).exists()


def draft_save(*, campaign: Campaign, draft_key: str, data: Mapping[str, Any]) -> bool:
    """Keep what has been typed so far; returns False (and keeps nothing) once that form has been submitted.

    An autosave can arrive after the answers were sent (a tap just before "Skicka"): saving it would
    show those answers to the next person on a shared device and make their key look used.
    """
    if _already_submitted(data):
        Draft.objects.filter(key_hash=key_hash(draft_key)).delete()
        return False
    Draft.objects.update_or_create(key_hash=key_hash(draft_key), defaults={"campaign": campaign, "data": dict(data)})
    return True


def draft_load(*, draft_key: str) -> dict[str, Any]:
    """The draft on this device, unless its form was already submitted (then it is dropped)."""
    draft = Draft.objects.filter(key_hash=key_hash(draft_key)).first()
    if draft is None:
        return {}
    if _already_submitted(draft.data):
        draft.delete()
        return {}
    return dict(draft.data)


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


@dataclass(frozen=True)
class _Writes:
    """Everything one submission writes, worked out (and validated) before anything is written."""

    response: Response  # not saved yet; its random id is set
    receipt_hash: str
    invitation_hash: str | None
    draft_hash: str | None
    answers: Sequence[tuple[int, int | None, str]]  # (item id, value, text)
    scores: Sequence[tuple[str, float | None, int | None]]  # (hallmark, index, complete total)


def _answer_rows(items: Sequence[Item], values: Mapping[str, int | str]) -> list[tuple[int, int | None, str]]:
    """(item id, value, text) per answered item; values are already clean."""
    by_code = {item.code: item for item in items}
    return [
        (by_code[code].pk, value if isinstance(value, int) else None, value if isinstance(value, str) else "")
        for code, value in values.items()
    ]


# PostgreSQL: the whole submission in one statement, so one round trip and no BEGIN/COMMIT.
# A statement is atomic: the one-time receipt (unique), the invitation's "used" mark, the response,
# its answers and hallmark scores, and dropping the draft all happen, or none does. The receipt is
# only written when the invitation (if any) was claimed, and everything after it only when it was.
# Answer rows travel as one array per column (unnest), not as hundreds of placeholders.
_SUBMIT_SQL_POSTGRESQL = """
WITH claimed AS (
    UPDATE {invitation} SET "used" = TRUE
    WHERE %(invitation)s::text IS NOT NULL AND "campaign_id" = %(campaign)s
      AND "token_hash" = %(invitation)s AND NOT "used"
    RETURNING 1
), receipt AS (
    INSERT INTO {receipt} ("campaign_id", "key_hash")
    SELECT %(campaign)s, %(key)s WHERE %(invitation)s::text IS NULL OR EXISTS (SELECT 1 FROM claimed)
    RETURNING 1
), response AS (
    INSERT INTO {response} ({response_columns})
    SELECT %(id)s::uuid, %(campaign)s, %(group)s, %(agency)s::bigint, %(today)s::date, %(paper)s FROM receipt
    RETURNING "id"
), answers AS (
    INSERT INTO {answer} ({answer_columns})
    SELECT response."id", a.* FROM response,
        unnest(%(items)s::bigint[], %(values)s::smallint[], %(texts)s::text[]) AS a
), scores AS (
    INSERT INTO {score} ({score_columns})
    SELECT response."id", h.* FROM response,
        unnest(%(hallmarks)s::text[], %(indexes)s::double precision[], %(totals)s::smallint[]) AS h
), draft AS (
    DELETE FROM {draft} WHERE "key_hash" = %(draft)s AND EXISTS (SELECT 1 FROM response)
)
SELECT count(*) FROM response
"""


@functools.cache
def _submit_sql_postgresql() -> str:
    return _SUBMIT_SQL_POSTGRESQL.format(
        invitation=table(Invitation),
        receipt=table(SubmissionReceipt),
        response=table(Response),
        response_columns=columns("id", "campaign_id", "respondent_group", "agency_id", "submitted_on", "paper"),
        answer=table(Answer),
        answer_columns=columns("response_id", "item_id", "value", "text"),
        score=table(HallmarkScore),
        score_columns=columns("response_id", "hallmark", "index", "complete_total"),
        draft=table(Draft),
    )


def _store_postgresql(writes: _Writes) -> bool:
    """Returns False when the invitation was already used (nothing written)."""
    response, answers, scores = writes.response, writes.answers, writes.scores
    params = {
        "invitation": writes.invitation_hash,
        "campaign": response.campaign_id,
        "key": writes.receipt_hash,
        "id": response.pk,
        "group": response.respondent_group,
        "agency": response.agency_id,
        "today": response.submitted_on,
        "paper": response.paper,
        "items": [row[0] for row in answers],
        "values": [row[1] for row in answers],
        "texts": [row[2] for row in answers],
        "hallmarks": [row[0] for row in scores],
        "indexes": [row[1] for row in scores],
        "totals": [row[2] for row in scores],
        "draft": writes.draft_hash,
    }
    # Inside an outer transaction (paper import) a savepoint keeps a duplicate from spoiling it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        row = sql_fetchone(_submit_sql_postgresql(), params)
    return bool(row and row[0])


def _insert_values(cursor: Any, model: Any, names: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """One multi-row INSERT (the ORM's bulk_create builds a model instance per row)."""
    if rows:
        row = "({})".format(", ".join(["%s"] * len(names)))
        cursor.execute(
            f"INSERT INTO {table(model)} ({columns(*names)}) VALUES {', '.join([row] * len(rows))}",  # noqa: S608
            [value for values in rows for value in values],
        )


def _store_generic(writes: _Writes) -> bool:
    """The same writes as one transaction of a few statements (SQLite: in-process, so cheap)."""
    response = writes.response
    response_id = Response._meta.pk.get_db_prep_value(response.pk, connection)  # type: ignore[union-attr]
    with transaction.atomic(), connection.cursor() as cursor:
        _insert_values(
            cursor, SubmissionReceipt, ["campaign_id", "key_hash"], [(response.campaign_id, writes.receipt_hash)]
        )
        if writes.invitation_hash is not None:
            claimed = Invitation.objects.filter(
                campaign_id=response.campaign_id, token_hash=writes.invitation_hash, used=False
            ).update(used=True)
            if claimed != 1:
                transaction.set_rollback(True)
                return False
        _insert_values(
            cursor,
            Response,
            ["id", "campaign_id", "respondent_group", "agency_id", "submitted_on", "paper"],
            [
                (
                    response_id,
                    response.campaign_id,
                    response.respondent_group,
                    response.agency_id,
                    response.submitted_on.isoformat(),
                    response.paper,
                )
            ],
        )
        _insert_values(
            cursor, Answer, ["response_id", "item_id", "value", "text"], [(response_id, *row) for row in writes.answers]
        )
        _insert_values(
            cursor,
            HallmarkScore,
            ["response_id", "hallmark", "index", "complete_total"],
            [(response_id, *row) for row in writes.scores],
        )
        if writes.draft_hash is not None:
            cursor.execute(f'DELETE FROM {table(Draft)} WHERE "key_hash" = %s', [writes.draft_hash])  # noqa: S608
    return True


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
) -> Response:
    """Store one questionnaire exactly once.

    The receipt (a hash of the form's one-time key) and the invitation's "used"
    mark are written atomically with the response: a double click, a reload or a
    replayed request hits the unique receipt and stores nothing. Nothing written
    links the response to the invitation, and only the date is kept.

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
    response = Response(
        campaign=campaign,
        respondent_group=respondent_group,
        agency_id=agency_id,
        submitted_on=today,
        paper=paper,
    )
    store = _store_postgresql if connection.vendor == "postgresql" else _store_generic
    try:
        stored = store(
            _Writes(
                response=response,
                receipt_hash=key_hash(submission_key),
                invitation_hash=key_hash(invitation_token) if invitation_token is not None else None,
                draft_hash=key_hash(draft_key) if draft_key else None,
                answers=_answer_rows(items, values),
                scores=_hallmark_scores(items, values),
            )
        )
    except IntegrityError:
        raise AlreadySubmitted(_("Ditt svar är redan inskickat. Tack!")) from None
    if not stored:
        # The invitation was used, perhaps by this very form a moment ago (a double click).
        if SubmissionReceipt.objects.filter(key_hash=key_hash(submission_key)).exists():
            raise AlreadySubmitted(_("Ditt svar är redan inskickat. Tack!"))
        raise InvitationUsed(_("Den här länken har redan använts för att svara."))
    response._state.adding = False
    response._state.db = "default"
    return response


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
