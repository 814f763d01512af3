"""Reads for measure pages and exports (no writes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Association

# The answer path's reads (link → campaign, the agency list) are hand-written SQL, kept in answer_sql.py.
from .answer_sql import AgencyChoice as AgencyChoice
from .answer_sql import agency_choices as agency_choices
from .answer_sql import invitation_target as invitation_target
from .answer_sql import link_target as link_target
from .models import Campaign, Instrument, Invitation, Item, Response


class NotFound(Exception):
    """A lookup by slug or name (management commands) found nothing; the message is a Swedish sentence."""


def campaign_for_association_or_404(association: Association, pk: int) -> Campaign:
    """One of the association's rounds, with its association, instrument and previous round, or Http404:
    another association's round is not found either. Every staff page, export and the API use this."""
    return get_object_or_404(
        Campaign.objects.for_association(association).select_related("association", "instrument", "previous"),
        pk=pk,
    )


def association_by_slug(slug: str) -> Association:
    """The association a command names; NotFound when there is none."""
    association = Association.objects.filter(slug=slug).first()
    if association is None:
        raise NotFound(_("Förbundet ”%(slug)s” finns inte.") % {"slug": slug})
    return association


def campaign_by_name(association: Association, name: str) -> Campaign:
    """The association's round a command names; NotFound (listing the rounds there are) when there is none."""
    campaign = (
        Campaign.objects.for_association(association)
        .select_related("instrument", "association")
        .filter(name=name)
        .first()
    )
    if campaign is None:
        names = ", ".join(Campaign.objects.for_association(association).values_list("name", flat=True)) or _("inga")
        raise NotFound(
            _("Mätomgången ”%(name)s” finns inte i %(association)s. Finns: %(names)s.")
            % {"name": name, "association": association.name, "names": names}
        )
    return campaign


def campaign_key_figures(*, association: Association) -> tuple[int, int, int]:
    """(campaigns, open campaigns, responses) for the start page."""
    today = timezone.localdate()
    figures = Campaign.objects.for_association(association).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(closed_on__isnull=True, opens_on__lte=today, closes_on__gte=today)),
    )
    responses = Response.objects.filter(campaign__association=association).count()
    return figures["total"], figures["open"], responses


def campaign_list(*, association: Association) -> list[Campaign]:
    return list(
        Campaign.objects.for_association(association)
        .select_related("instrument", "previous")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on", "name")
    )


def instruments_available(*, association: Association) -> list[Instrument]:
    return list(Instrument.objects.available_to(association).order_by("association_id", "name", "-version"))


def campaign_response_total(*, campaign: Campaign) -> int:
    """Published responses (submissions still waiting to be published are counted apart)."""
    return Response.objects.filter(campaign=campaign).count()


def invitation_rates(*, campaign: Campaign) -> list[dict[str, object]]:
    """Response rate per group among personal invitations: counts of receipts, never who answered."""
    from .models import Receipt, ReceiptKind, RespondentGroup

    invited = dict(
        Invitation.objects.filter(campaign=campaign)
        .values_list("respondent_group")
        .annotate(n=Count("id"))
        .values_list("respondent_group", "n")
    )
    answered = dict(
        Receipt.objects.filter(campaign=campaign, kind=ReceiptKind.INVITATION)
        .values_list("respondent_group")
        .annotate(n=Count("key"))
        .values_list("respondent_group", "n")
    )
    return [
        {
            "group": RespondentGroup(group).label,
            "invited": invited[group],
            "answered": min(answered.get(group, 0), invited[group]),
            "rate": round(100 * min(answered.get(group, 0), invited[group]) / invited[group]),
        }
        for group in sorted(invited)
    ]


@dataclass(frozen=True)
class MailStatusSummary:
    queued: int
    sent: int
    failed: int
    failed_emails: list[str]

    @property
    def busy(self) -> bool:
        return self.queued > 0


def invitation_mail_status(*, campaign: Campaign) -> MailStatusSummary | None:
    """How the round's invitation mail is getting on (about delivery, never about answering)."""
    from .models import MailStatus

    counts = dict(
        Invitation.objects.filter(campaign=campaign)
        .values_list("mail_status")
        .annotate(n=Count("id"))
        .values_list("mail_status", "n")
    )
    if not counts:
        return None
    failed = list(
        Invitation.objects.filter(campaign=campaign, mail_status=MailStatus.FAILED)
        .order_by("email")
        .values_list("email", flat=True)
    )
    return MailStatusSummary(
        queued=counts.get(MailStatus.QUEUED, 0),
        sent=counts.get(MailStatus.SENT, 0),
        failed=counts.get(MailStatus.FAILED, 0),
        failed_emails=failed,
    )


# A frozen instrument version never changes (editing makes a new version), so its items can be
# kept per process: answering and results then need no query for the questionnaire itself.
_FROZEN_ITEMS: dict[int, tuple[Item, ...]] = {}


def instrument_items(instrument: Instrument) -> tuple[Item, ...]:
    if instrument.frozen and instrument.pk in _FROZEN_ITEMS:
        return _FROZEN_ITEMS[instrument.pk]
    items = tuple(instrument.items.order_by("position"))
    if instrument.frozen or Instrument.objects.filter(pk=instrument.pk, frozen=True).exists():
        _FROZEN_ITEMS[instrument.pk] = items
    return items
