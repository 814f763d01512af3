"""Reads of the network survey, always for one association: rounds, their answers as edges, the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from samverkan.measure.models import Invitation
from samverkan.tenancy.models import Agency, Association

from .metrics import EdgeAnswer, NetworkMetrics, metrics_change, network_metrics
from .models import NetworkAnswer, NetworkInvitation, NetworkRound


def network_rounds(association: Association) -> QuerySet[NetworkRound]:
    return (
        NetworkRound.objects.for_association(association)
        .select_related("campaign", "campaign__previous")
        .annotate(respondents=Count("answers__source", distinct=True))
        .order_by("-campaign__opens_on", "-pk")
    )


def network_round_or_404(association: Association, round_id: int) -> NetworkRound:
    """The association's round with this id; another association's id is a 404, as if it did not exist."""
    found = (
        NetworkRound.objects.for_association(association)
        .select_related("campaign", "campaign__previous", "association")
        .filter(pk=round_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def previous_round(network_round: NetworkRound) -> NetworkRound | None:
    """The round the campaign continues (Campaign.previous), if it is a network round of the same association."""
    previous = network_round.campaign.previous
    if previous is None:
        return None
    return (
        NetworkRound.objects.filter(association_id=network_round.association_id, campaign=previous)
        .select_related("campaign")
        .first()
    )


def member_agencies(association: Association) -> list[Agency]:
    return list(association.agencies.order_by("kind", "name"))


@dataclass(frozen=True)
class RoundData:
    """One round's agencies (the network's nodes, by name), the answers as edges, who answered, the figures."""

    nodes: list[str]
    answers: list[EdgeAnswer]
    respondents: list[str]
    metrics: NetworkMetrics


def round_data(network_round: NetworkRound) -> RoundData:
    """The member agencies today, plus any agency answered about that has left since (its answers stay)."""
    agencies = member_agencies(network_round.association)
    rows = list(
        NetworkAnswer.objects.filter(round=network_round)
        .select_related("source", "target")
        .order_by("source__kind", "source__name", "target__kind", "target__name")
    )
    nodes = [agency.name for agency in agencies]
    for row in rows:
        for agency in (row.source, row.target):
            if agency.name not in nodes:
                nodes.append(agency.name)
    answers = [
        EdgeAnswer(
            source=row.source.name,
            target=row.target.name,
            depth=row.depth,
            trust=row.trust,
            value=float(row.value) if row.value is not None else None,
            knows_whom_to_call=row.knows_whom_to_call,
            frequency=row.frequency,
        )
        for row in rows
    ]
    respondents = sorted({row.source.name for row in rows}, key=nodes.index)
    return RoundData(nodes, answers, respondents, network_metrics(nodes, answers, respondents=respondents))


def round_change(network_round: NetworkRound, current: NetworkMetrics) -> tuple[NetworkRound | None, dict | None]:
    previous = previous_round(network_round)
    if previous is None:
        return None, None
    return previous, metrics_change(round_data(previous).metrics, current)


@dataclass(frozen=True)
class InvitationRow:
    agency: Agency
    email: str
    mail_status: str
    answered: bool


def invitation_rows(network_round: NetworkRound) -> list[InvitationRow]:
    """Per member agency: its representative's invitation (if any) and whether the agency has answered.

    Not anonymous by design: the round shows per agency who answered (the respondents were told).
    """
    invitations = {
        entry.agency_id: entry.invitation
        for entry in NetworkInvitation.objects.filter(round=network_round).select_related("invitation")
    }
    answered = set(NetworkAnswer.objects.filter(round=network_round).values_list("source_id", flat=True))
    rows = []
    for agency in member_agencies(network_round.association):
        invitation: Invitation | None = invitations.get(agency.pk)
        rows.append(
            InvitationRow(
                agency=agency,
                email=invitation.email if invitation else "",
                mail_status=invitation.get_mail_status_display() if invitation else "",
                answered=agency.pk in answered,
            )
        )
    return rows


def latest_closed_round_figures(association: Association) -> tuple[str, float, float] | None:
    """(name, density, knows whom to call) of the latest closed round with answers, for the start page."""
    for network_round in network_rounds(association):
        if network_round.campaign.status != "closed" or not getattr(network_round, "respondents", 0):
            continue
        metrics = round_data(network_round).metrics
        if metrics.density is None or metrics.knows_whom_to_call is None:
            continue
        return network_round.campaign.name, metrics.density, metrics.knows_whom_to_call
    return None


def target_agencies(network_round: NetworkRound, agency: Agency) -> Sequence[Agency]:
    """The agencies a representative of `agency` answers about: every other member agency."""
    return [a for a in member_agencies(network_round.association) if a.pk != agency.pk]
