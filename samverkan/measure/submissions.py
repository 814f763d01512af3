"""Storing one questionnaire exactly once, sealed (the answer path's write), and why one is refused.

The statement itself is in answer_sql.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Agency, Association

from . import anonymity, stats
from .answer_sql import SubmissionWrites, submission_store
from .answers import DONT_KNOW, clean_answers, item_specs
from .models import Campaign, Item, ItemKind, Receipt
from .selectors import instrument_items


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
    writes = SubmissionWrites(
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
    try:
        submission_store(writes)
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
