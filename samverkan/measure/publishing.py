"""Publishing waiting submissions: the step that lets results change only by several people at once.

A submission is stored sealed (services.response_submit); here a group's waiting submissions become
Response, Answer and HallmarkScore rows, in random order, in one transaction, once there are at least
the minimum group size of them, or all of them when the round has closed.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from . import anonymity, stats
from .models import Answer, Campaign, HallmarkScore, PendingResponse, Response

__all__ = ["responses_publish", "responses_waiting"]


def responses_publish(*, campaign: Campaign, group: str | None = None, everything: bool = False) -> int:
    """Turn waiting submissions into responses, one batch per group that has gathered enough.

    A group's waiting answers are published only when there are at least the minimum group size of
    them (or when the campaign closes: `everything`), all in one transaction, in random order, with new
    random keys: whoever reads the results (or the database) before and after sees a change of at least
    that many answers, never one person's, and the published rows' transaction, position and keys say
    nothing about who answered when. Returns how many responses were published.
    """
    min_size = stats.effective_min_group_size(campaign.min_group_size)
    pending = PendingResponse.objects.filter(campaign=campaign)
    if group is not None:
        pending = pending.filter(respondent_group=group)
    if not everything:
        counts = dict(
            pending.values_list("respondent_group").annotate(n=Count("id")).values_list("respondent_group", "n")
        )
        if not any(n >= min_size for n in counts.values()):
            return 0
    with transaction.atomic():
        locked = pending.select_for_update(skip_locked=True) if connection.vendor == "postgresql" else pending
        rows = list(locked.values_list("id", "respondent_group", "sealed"))
        by_group: dict[str, list[tuple[Any, str]]] = {}
        for pk, row_group, sealed in rows:
            by_group.setdefault(row_group, []).append((pk, sealed))
        chosen = [
            (pk, row_group, sealed)
            for row_group, rows_of_group in by_group.items()
            if everything or len(rows_of_group) >= min_size
            for pk, sealed in rows_of_group
        ]
        if not chosen:
            return 0
        deleted, _detail = PendingResponse.objects.filter(id__in=[pk for pk, _g, _s in chosen]).delete()
        if deleted != len(chosen):  # another request published some of them first
            transaction.set_rollback(True)
            return 0
        secrets.SystemRandom().shuffle(chosen)
        responses, answers, scores = [], [], []
        for _pk, row_group, sealed in chosen:
            data = anonymity.unseal(sealed)
            response = Response(
                id=uuid.uuid4(),
                campaign_id=campaign.pk,
                respondent_group=row_group,
                agency_id=data["agency"],
                submitted_on=date.fromisoformat(data["day"]),
                paper=data["paper"],
            )
            responses.append(response)
            answers += [Answer(response=response, item_id=i, value=v, text=t) for i, v, t in data["answers"]]
            scores += [
                HallmarkScore(response=response, hallmark=h, index=x, complete_total=c) for h, x, c in data["scores"]
            ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers, batch_size=2000)
        HallmarkScore.objects.bulk_create(scores, batch_size=2000)
    return len(chosen)


def responses_waiting(*, campaign: Campaign) -> int:
    """How many submissions wait to be published (a count, shown to staff as such)."""
    return PendingResponse.objects.filter(campaign=campaign).count()
