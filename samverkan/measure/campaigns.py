"""Writes for rounds (campaigns): create, edit, close, reopen, delete and what deleting deletes.

Services own their transactions: a failed write leaves nothing half done.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Min as models_min
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association

from . import anonymity, stats
from .models import (
    Answer,
    Campaign,
    CampaignLink,
    Draft,
    HallmarkScore,
    Instrument,
    Invitation,
    PendingResponse,
    RespondentGroup,
    Response,
)
from .publishing import responses_publish, responses_waiting
from .snapshot import snapshot_refresh
from .validation import text_errors as _text_errors


def _new_token() -> str:
    return secrets.token_urlsafe(24)


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
