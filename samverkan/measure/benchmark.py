"""Benchmark: an association's position per level among the others that opted in.

Only associations that chose to share (`benchmark_opt_in`) take part, and
only they see the comparison. Each contributes the whole-campaign mean per
level of its latest closed round on a core instrument (locked wording), read
through `campaign_results`, so the anonymity rules apply to the inputs too.
Another association's name is shown only if it chose to be named.

A level is compared only when at least `benchmark_min_peers()` other
associations contribute to it (setting SAMVERKAN_BENCHMARK_MIN_PEERS, default
5, never below 3): with two peers of which one is named, the unnamed one is
obvious on a small platform; with five, no single peer can be picked out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django_scopes import scope

from samverkan.tenancy.models import Association

from .models import Campaign, Level
from .results import campaign_results

DEFAULT_MIN_PEERS = 5
ABSOLUTE_MIN_PEERS = 3


def benchmark_min_peers() -> int:
    """Fewer other associations than this for a level and it is not compared (never below 3)."""
    from django.conf import settings

    configured = int(getattr(settings, "SAMVERKAN_BENCHMARK_MIN_PEERS", DEFAULT_MIN_PEERS))
    return max(configured, ABSOLUTE_MIN_PEERS)


@dataclass(frozen=True)
class Peer:
    name: str | None  # None unless the association chose to be named
    mean: float


@dataclass(frozen=True)
class LevelBenchmark:
    level: str
    label: str
    own: float | None
    peers: Sequence[Peer]
    percentile: float | None  # share of the others below us (ties count half), 0–100

    @property
    def band(self) -> str:
        if self.percentile is None:
            return ""
        if self.percentile < 25:
            return "low"
        if self.percentile > 75:
            return "high"
        return "middle"


def _core_levels(campaign: Campaign) -> dict[str, float]:
    results = campaign_results(campaign=campaign)
    means: dict[str, float] = {}
    for level in results.levels:
        summary = level.total.summary
        if not level.total.suppressed and summary is not None:
            means[level.level] = summary.mean
    return means


def latest_benchmark_campaign(association: Association) -> Campaign | None:
    """The association's latest closed round on a core (locked-wording) instrument."""
    campaigns = Campaign.objects.for_association(association).filter(
        instrument__association__isnull=True, closed_on__isnull=False
    )
    return campaigns.order_by("-closes_on", "-pk").first()


def level_benchmarks(*, association: Association, campaign: Campaign) -> list[LevelBenchmark] | None:
    """Position of `campaign` per level against the others; None when not shown (not opted in, too few)."""
    if not association.benchmark_opt_in or campaign.instrument.association_id is not None:
        return None
    others = Association.objects.filter(benchmark_opt_in=True).exclude(pk=association.pk).order_by("name")
    peer_means: list[tuple[str | None, dict[str, float]]] = []
    for other in others:
        # The benchmark is the one deliberate read across associations: each opted-in peer is read in its
        # own association's scope, and only its suppressed-where-small level means leave that scope.
        with scope(association=other):
            latest = latest_benchmark_campaign(other)
            if latest is None:
                continue
            means = _core_levels(latest)
        if means:
            peer_means.append((other.name if other.benchmark_named else None, means))
    min_peers = benchmark_min_peers()
    if len(peer_means) < min_peers:
        return None
    own = _core_levels(campaign)
    benchmarks = []
    for level in Level:
        peers = [Peer(name, means[level.value]) for name, means in peer_means if level.value in means]
        if len(peers) < min_peers:
            continue
        own_mean = own.get(level.value)
        percentile = None
        if own_mean is not None:
            below = sum(1 for p in peers if p.mean < own_mean - 1e-9)
            ties = sum(1 for p in peers if abs(p.mean - own_mean) <= 1e-9)
            percentile = 100 * (below + ties / 2) / len(peers)
        benchmarks.append(
            LevelBenchmark(
                level=level.value,
                label=str(level.label),
                own=own_mean,
                # Unnamed peers are listed by value only, in value order, so order gives nothing away.
                peers=sorted(peers, key=lambda p: p.mean),
                percentile=percentile,
            )
        )
    return benchmarks
