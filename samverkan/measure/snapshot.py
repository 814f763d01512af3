"""Per-group counts and sums for a campaign, from SQL GROUP BY.

This is the only place that reads answers in bulk. It runs when responses have
been published since the last snapshot (more than it counted) or when the
campaign closes; every results page, export, API answer and PDF reads
the stored snapshot, so their cost does not grow with the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from .models import Answer, Campaign, HallmarkScore, Response, ResultSnapshot


def _nested() -> defaultdict[str, Any]:
    return defaultdict(_nested)


def snapshot_compute(*, campaign: Campaign) -> dict[str, Any]:
    groups = dict(
        Response.objects.filter(campaign=campaign)
        .values_list("respondent_group")
        .annotate(n=Count("id"))
        .values_list("respondent_group", "n")
    )
    counts: defaultdict[str, Any] = _nested()
    rows = (
        Answer.objects.filter(response__campaign=campaign, value__isnull=False)
        .values("item__code", "response__respondent_group", "value")
        .annotate(n=Count("id"))
        .values_list("item__code", "response__respondent_group", "value", "n")
    )
    for code, group, value, n in rows:
        counts[code][group][str(value)] = n
    texts: defaultdict[str, Any] = _nested()
    for code, group, n in (
        Answer.objects.filter(response__campaign=campaign)
        .exclude(text="")
        .values("item__code", "response__respondent_group")
        .annotate(n=Count("id"))
        .values_list("item__code", "response__respondent_group", "n")
    ):
        texts[code][group] = n
    hallmarks: defaultdict[str, Any] = _nested()
    for hallmark, group, n, total, total_sq, n_complete, complete_sum, complete_sq in (
        HallmarkScore.objects.filter(response__campaign=campaign)
        .values("hallmark", "response__respondent_group")
        .annotate(
            n=Count("index"),
            total=Sum("index"),
            total_sq=Sum(F("index") * F("index")),
            n_complete=Count("complete_total"),
            complete_sum=Sum(Cast("complete_total", FloatField())),
            complete_sq=Sum(Cast(F("complete_total") * F("complete_total"), FloatField())),
        )
        .values_list(
            "hallmark",
            "response__respondent_group",
            "n",
            "total",
            "total_sq",
            "n_complete",
            "complete_sum",
            "complete_sq",
        )
    ):
        hallmarks[hallmark][group] = {
            "n": n,
            "sum": total or 0.0,
            "sumsq": total_sq or 0.0,
            "n_complete": n_complete,
            "complete_sum": complete_sum or 0.0,
            "complete_sumsq": complete_sq or 0.0,
            "items": {},
        }
    # Item moments over complete answers only, the input Cronbach's alpha needs.
    complete_items = (
        Answer.objects.filter(
            response__campaign=campaign,
            item__hallmark=F("response__hallmark_scores__hallmark"),
            response__hallmark_scores__complete_total__isnull=False,
        )
        .filter(~Q(item__hallmark=""))
        .values("item__hallmark", "item__code", "response__respondent_group")
        .annotate(total=Sum(Cast("value", FloatField())), total_sq=Sum(Cast(F("value") * F("value"), FloatField())))
        .values_list("item__hallmark", "item__code", "response__respondent_group", "total", "total_sq")
    )
    for hallmark, code, group, total, total_sq in complete_items:
        if group in hallmarks[hallmark]:
            hallmarks[hallmark][group]["items"][code] = [total or 0.0, total_sq or 0.0]
    return {"groups": groups, "counts": counts, "texts": texts, "hallmarks": hallmarks}


def answers_mark(campaign: Campaign) -> int:
    """Responses published so far. Submissions wait (sealed) until their group has gathered at least the
    minimum group size, then are published in one batch (services.responses_publish), so this count, and
    with it the results, only ever moves in steps that hide one person. Read before the data, it never
    overstates them."""
    return Response.objects.filter(campaign=campaign).count()


@transaction.atomic
def snapshot_refresh(*, campaign: Campaign) -> ResultSnapshot:
    version = answers_mark(campaign)
    data = snapshot_compute(campaign=campaign)
    snapshot, _ = ResultSnapshot.objects.update_or_create(
        campaign=campaign, defaults={"answers_version": version, "data": data}
    )
    return snapshot


def snapshot_is_recent(campaign: Campaign, snapshot: ResultSnapshot) -> bool:
    """An open campaign's snapshot younger than SAMVERKAN_RESULTS_MAX_AGE: good enough to show as it is."""
    if campaign.closed_on is not None or campaign.status == "closed":
        return False
    max_age = int(getattr(settings, "SAMVERKAN_RESULTS_MAX_AGE", 0))
    return bool(max_age) and snapshot.computed_at >= timezone.now() - timedelta(seconds=max_age)


def snapshot_rebuild_in_background(campaign: Campaign) -> ResultSnapshot | None:
    """The snapshot to show as it is while a job rebuilds it, or None to rebuild in the request as always.

    An open campaign with at least SAMVERKAN_RESULTS_REBUILD_IN_JOB_FROM published answers (10,000) and a
    snapshot older than SAMVERKAN_RESULTS_MAX_AGE: its rebuild takes seconds (1.5 s on PostgreSQL and 7 s
    on SQLite at 100,000), so the viewer gets the older figures at once and a bar (results_views). The
    older figures hide one person exactly as the new ones do: they are an earlier published state.
    """
    if campaign.closed_on is not None or campaign.status == "closed":
        return None
    snapshot = ResultSnapshot.objects.filter(campaign=campaign).first()
    large_from = int(getattr(settings, "SAMVERKAN_RESULTS_REBUILD_IN_JOB_FROM", 10_000))
    if snapshot is None or snapshot.answers_version < large_from or snapshot_is_recent(campaign, snapshot):
        return None
    return snapshot


def snapshot_current(*, campaign: Campaign) -> dict[str, Any]:
    """The stored snapshot, refreshed first if answers arrived since it was made.

    While a campaign is open, a snapshot younger than SAMVERKAN_RESULTS_MAX_AGE
    seconds is used even if answers have arrived since: rebuilding a campaign of
    100,000 responses takes seconds, and it should not be paid by every viewer
    after every answer. Closing a campaign always rebuilds it.
    """
    from .publishing import responses_publish

    closed = campaign.status == "closed"
    snapshot = ResultSnapshot.objects.filter(campaign=campaign).first()
    if snapshot is not None and snapshot_is_recent(campaign, snapshot):
        return snapshot.data
    # Waiting answers are published here (a group's batch once it has enough; everything in a round
    # past its closing date, which is final even if nobody pressed "Stäng"), not in the answer path.
    responses_publish(campaign=campaign, everything=closed)
    version = answers_mark(campaign)
    if snapshot is None or snapshot.answers_version != version:
        snapshot = snapshot_refresh(campaign=campaign)
    return snapshot.data
