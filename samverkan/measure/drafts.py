"""Drafts: what a respondent has typed so far, sealed, kept per device or personal link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import anonymity
from .answer_sql import draft_keep
from .models import Campaign, Draft, Receipt
from .submissions import SubmissionError

# --- drafts -------------------------------------------------------------------------------------------
#
# A draft is keyed by a keyed hash of the link and a random device cookie (or of the personal link's
# secret), and its answers are sealed. Saving and submitting meet in one row: the submission turns it
# into a tombstone in the same statement that stores the answers, and a save never overwrites a
# tombstone, so a late autosave (a tap just before "Skicka") can never bring the answers back, whatever
# the timing. The database's unique key serialises the two.

DRAFT_MAX_CHARACTERS = 64_000  # all answers of the longest questionnaire, with room to spare


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
    with transaction.atomic():
        if form_key and Receipt.objects.filter(key=anonymity.form_receipt(form_key)).exists():
            submitted = True
        else:
            draft_keep(
                key=key,
                campaign_id=campaign.pk,
                sealed=anonymity.seal(dict(data)),
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
