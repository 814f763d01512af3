"""Reads for measure pages and exports (no writes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from samverkan.common.sql import fetchall as sql_fetchall
from samverkan.common.sql import fetchone as sql_fetchone
from samverkan.common.sql import table
from samverkan.tenancy.models import Agency, Association

from .models import Campaign, CampaignLink, Instrument, Invitation, Item, Response


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


# --- answering: the hot path (bench/submissions.py) ----------------------------------------------
#
# A respondent's GET and POST each need the campaign behind a link. The ORM query with two levels
# of select_related cost about 2 ms to compile on every request, several times the query itself,
# so these reads are written in SQL and turned into model instances; fields not read here stay
# deferred and load on access, so nothing is silently wrong.

_TARGET_SQL = """
SELECT {target}, c.id, c.name, c.association_id, c.instrument_id, c.respondent_groups,
       c.opens_on, c.closes_on, c.closed_on, a.name, i.name, i.intro, i.kind, i.frozen
FROM {target_table} t
JOIN {campaign} c ON c.id = t.campaign_id
JOIN {association} a ON a.id = c.association_id
JOIN {instrument} i ON i.id = c.instrument_id
WHERE t.{key} = %s
"""


def _target_row(target_table: str, target: str, key: str, value: str) -> tuple[Any, ...] | None:
    sql = _TARGET_SQL.format(
        target=target,
        target_table=target_table,
        key=key,
        campaign=table(Campaign),
        association=table(Association),
        instrument=table(Instrument),
    )
    return sql_fetchone(sql, [value])


def _instance(model: Any, data: dict[str, Any]) -> Any:
    """A model instance as the ORM would load it with only these fields (the rest deferred)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in data]
    return model.from_db("default", fields, [data[name] for name in fields])


def _campaign_from_row(row: tuple[Any, ...]) -> Campaign:
    (campaign_id, name, association_id, instrument_id, groups, opens_on, closes_on, closed_on) = row[:8]
    (association_name, instrument_name, intro, kind, frozen) = row[8:]
    to_date = Campaign._meta.get_field("opens_on").to_python
    campaign: Campaign = _instance(
        Campaign,
        {
            "id": campaign_id,
            "name": name,
            "association_id": association_id,
            "instrument_id": instrument_id,
            "respondent_groups": json.loads(groups) if isinstance(groups, str) else groups,
            "opens_on": to_date(opens_on),
            "closes_on": to_date(closes_on),
            "closed_on": to_date(closed_on) if closed_on is not None else None,
        },
    )
    campaign.association = _instance(Association, {"id": association_id, "name": association_name})
    campaign.instrument = _instance(
        Instrument,
        {"id": instrument_id, "name": instrument_name, "intro": intro, "kind": kind, "frozen": bool(frozen)},
    )
    return campaign


def link_target(token: str) -> tuple[str, Campaign] | None:
    """(respondent group, campaign with its association and instrument) behind an open link, in one query."""
    row = _target_row(table(CampaignLink), "t.respondent_group", "token", token)
    return None if row is None else (row[0], _campaign_from_row(row[1:]))


def invitation_target(lookup: str) -> tuple[str, Campaign] | None:
    """(respondent group, campaign …) behind a personal link, found by its keyed lookup hash."""
    row = _target_row(table(Invitation), "t.respondent_group", "lookup", lookup)
    return None if row is None else (row[0], _campaign_from_row(row[1:]))


@dataclass(frozen=True)
class AgencyChoice:
    pk: int
    name: str


def agency_choices(association_id: int) -> list[AgencyChoice]:
    """The association's member agencies for the answer form, ordered as Agency.Meta.ordering."""
    through = table(Association.agencies.through)
    agency = table(Agency)
    rows = sql_fetchall(
        f"SELECT g.id, g.name FROM {agency} g JOIN {through} m ON m.agency_id = g.id "  # noqa: S608 — table names
        "WHERE m.association_id = %s ORDER BY g.kind, g.name",
        [association_id],
    )
    return [AgencyChoice(pk, name) for pk, name in rows]
