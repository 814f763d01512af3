"""Reads for the narrative pages: the narrative, its versions and comparisons, and each statement's result.

A statement's result comes from Mät's one choke point (`measure.results.campaign_results`), which applies
the suppression rules: only published answers, no table with fewer answers than the minimum group size,
one hidden set per round. The narrative shows the whole round's figure for the item (the "Alla" cell),
or "för få svar" where that cell is suppressed; never anything computed from raw answers here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samverkan.measure.models import Campaign, Response
from samverkan.measure.results import campaign_results
from samverkan.tenancy.models import Association

from .models import IStatement, Narrative, NarrativeVersion
from .narrative_text import DiffLine, compare_snapshots

# How many of the newest rounds with the item are looked at for one that has published answers.
ROUNDS_LOOKED_AT = 5


def narrative_of(association: Association) -> Narrative | None:
    return Narrative.objects.filter(association=association).first()


def narrative_or_404(association: Association) -> Narrative:
    return get_object_or_404(Narrative.objects.filter(association=association))


def version_or_404(narrative: Narrative, version_id: int) -> NarrativeVersion:
    return get_object_or_404(NarrativeVersion.objects.filter(narrative=narrative), pk=version_id)


def snapshot_labels() -> dict[str, str]:
    return {
        "title": _("Rubrik"),
        "text": _("Berättelsen"),
        "persona": _("Persona"),
        "situation": _("Situation"),
        "needs": _("Behöver"),
        "statements": _("Jag-påståenden"),
        "item": _("fråga i deltagarenkäten"),
    }


def versions_compare(old: NarrativeVersion, new: NarrativeVersion) -> list[DiffLine]:
    return compare_snapshots(old.snapshot, new.snapshot, snapshot_labels())


@dataclass(frozen=True)
class StatementResult:
    """The latest published result of a statement's questionnaire item, suppressed as every output is."""

    campaign: Campaign | None
    suppressed: bool = False
    n: int = 0
    mean: float | None = None
    agree_share: float | None = None  # share answering 4 or 5
    min_group_size: int = 0

    @property
    def agree_percent(self) -> int | None:
        return round(self.agree_share * 100) if self.agree_share is not None else None

    @property
    def has_round(self) -> bool:
        return self.campaign is not None


def statement_result(association: Association, statement: IStatement) -> StatementResult | None:
    """None for a statement that is no item; else the newest round with published answers that asks it."""
    item = statement.item
    if item is None:
        return None
    instrument = item.instrument
    campaigns = (
        Campaign.objects.for_association(association)
        .filter(
            instrument__association=association, instrument__name=instrument.name, instrument__items__code=item.code
        )
        .select_related("instrument", "previous", "association")
        .order_by("-opens_on", "-pk")
        .distinct()
    )
    for campaign in campaigns[:ROUNDS_LOOKED_AT]:
        results = campaign_results(campaign=campaign)
        # Skip rounds nobody has answered yet (nothing published): their "result" would say nothing.
        if not Response.objects.filter(campaign=campaign).exists():
            continue
        found = next((r for r in results.items if r.code == item.code), None)
        if found is None:
            continue
        total = found.total
        if results.total_suppressed or total.suppressed or not total.summary:
            return StatementResult(campaign=campaign, suppressed=True, min_group_size=results.min_group_size)
        counts = total.counts or {}
        agree = (counts.get(4, 0) + counts.get(5, 0)) / total.n if total.n else None
        return StatementResult(
            campaign=campaign,
            n=total.n,
            mean=total.summary.mean,
            agree_share=agree,
            min_group_size=results.min_group_size,
        )
    return StatementResult(campaign=None)


def statement_results(association: Association, statements: Sequence[IStatement]) -> dict[int, StatementResult | None]:
    return {s.pk: statement_result(association, s) for s in statements}
