"""Test helpers for measure: a campaign on the core instrument and answers."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samverkan.measure import services
from samverkan.measure.instrument_files import load_core_instruments
from samverkan.measure.models import Campaign, Instrument, Item
from samverkan.measure.published import CELL_FIELDS


def _ensure_core() -> None:
    # Transactional tests flush the tables the data migration filled; put the core instruments back.
    if not Instrument.objects.filter(association=None).exists():
        load_core_instruments(Instrument, Item)


def core_instrument() -> Instrument:
    _ensure_core()
    return Instrument.objects.get(association=None, name="Integrerad samverkan", version=1)


def participant_instrument() -> Instrument:
    _ensure_core()
    return Instrument.objects.get(association=None, name="Deltagarenkät", version=1)


def open_campaign(
    association: Any, *, name: str = "Mätning", groups: tuple[str, ...] = ("board", "staff"), **kwargs: Any
) -> Campaign:
    today = timezone.localdate()
    return services.campaign_create(
        association=association,
        name=name,
        instrument=kwargs.pop("instrument", None) or core_instrument(),
        respondent_groups=list(groups),
        opens_on=kwargs.pop("opens_on", today - timedelta(days=1)),
        closes_on=kwargs.pop("closes_on", today + timedelta(days=30)),
        **kwargs,
    )


def submit(
    campaign: Campaign,
    group: str,
    answers: dict[str, Any],
    *,
    today: date | None = None,
    publish_now: bool = True,
    **kwargs: Any,
) -> None:
    """One submission through the service; by default published at once (as closing the round would), so
    tests of results see every answer. Tests of the publication rule pass publish_now=False."""
    services.response_submit(
        campaign=campaign,
        respondent_group=group,
        raw_answers=answers,
        submission_key=secrets.token_urlsafe(12),
        today=today,
        **kwargs,
    )
    if publish_now:
        services.responses_publish(campaign=campaign, everything=True)


def ring_answers(value: int, target: int | None = None, **extra: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for level in ("personal", "team", "organisation", "society"):
        answers[f"ring_{level}"] = str(value)
        answers[f"ring_{level}_target"] = str(target if target is not None else min(value + 1, 5))
    answers.update({k: str(v) for k, v in extra.items()})
    return answers


# Every figure of a published cell (None while the cell is suppressed), and `suppressed` itself.
PUBLISHED_CELL_FIELDS = frozenset(spec.name for spec in CELL_FIELDS if spec.hidden) | {"suppressed"}


def stored_count(campaign: Campaign) -> int:
    """Submissions kept: published responses and those still waiting (sealed) for their group's batch."""
    from samverkan.measure.models import PendingResponse, Response

    return (
        Response.objects.filter(campaign=campaign).count() + PendingResponse.objects.filter(campaign=campaign).count()
    )


def answer_form(client: Any, url: str) -> tuple[str, str]:
    """Open the answer form as a visitor: (CSRF token, one-time submission key)."""
    page = client.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return csrf, key


def campaign_form_data(**overrides: object) -> dict[str, object]:
    """A valid POST of the campaign form, with some fields overridden."""
    today = timezone.localdate()
    data: dict[str, object] = {
        "name": "Mätning våren 2027",
        "instrument": core_instrument().pk,
        "respondent_groups": ["board", "staff"],
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "min_group_size": "5",
        "previous": "",
    }
    data.update(overrides)
    return data
