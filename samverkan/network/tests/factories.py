"""Test helpers for the network survey: an open round, a representative's invitation, answers."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from samverkan.network import services
from samverkan.network.models import NetworkRound
from samverkan.tenancy.models import Agency, Association


def open_round(association: Association, *, name: str = "Karta", previous: NetworkRound | None = None) -> NetworkRound:
    today = timezone.localdate()
    return services.network_round_create(
        association=association,
        name=name,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        previous=previous,
    )


def agencies_of(association: Association) -> list[Agency]:
    return list(association.agencies.order_by("kind", "name"))


def invite(network_round: NetworkRound, agency: Agency, email: str | None = None) -> str:
    """Invite the agency's representative; returns the personal link's token."""
    tokens: list[str] = []
    services.network_invitations_create(
        network_round=network_round,
        emails={agency.pk: email or f"rep{agency.pk}-{secrets.token_hex(3)}@example.se"},
        answer_url=lambda token: tokens.append(token) or f"https://samverkan.example/karta/svara/#{token}",
    )
    mail.outbox.clear()
    return tokens[0]


def raw_answers(targets: list[Agency], depths: dict[str, int] | None = None, **overrides: Any) -> dict[str, str]:
    """A complete form: depth per target name (default 2), contact monthly, trust 3, value 2, knows: ja."""
    depths = depths or {}
    raw: dict[str, str] = {}
    for target in targets:
        depth = depths.get(target.name, 2)
        raw |= {
            f"{target.pk}-frequency": "3" if depth else "0",
            f"{target.pk}-depth": str(depth),
            f"{target.pk}-reliability": "3",
            f"{target.pk}-mission": "4",
            f"{target.pk}-openness": "2",
            f"{target.pk}-value": "2",
            f"{target.pk}-knows": "ja" if depth >= 2 else "nej",
        }
    return raw | {key: str(value) for key, value in overrides.items()}


def answer(network_round: NetworkRound, agency: Agency, depths: dict[str, int] | None = None) -> None:
    targets = [a for a in agencies_of(network_round.association) if a.pk != agency.pk]
    services.network_answers_submit(
        network_round=network_round,
        agency=agency,
        raw_answers=raw_answers(targets, depths),
        submission_key=secrets.token_urlsafe(12),
    )
