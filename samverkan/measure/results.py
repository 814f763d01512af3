"""The one choke point through which every output reads a campaign's results.

Pages, CSV/XLSX/SPSS exports, the API and the PDF all call
`campaign_results`; it turns the stored snapshot (per-group counts and sums)
into figures with the anonymity rules of PRODUCT.md applied: one hidden set
of respondent groups for the whole campaign (`disclosure.joint_suppression`),
so no group with fewer answers than the minimum is shown in any table and
nothing can be recovered by subtraction from a total or across tables; and
every published statistic is shown only when its own n reaches the minimum
(a target mean, a previous round's mean, a hallmark index, Cronbach's alpha).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import disclosure, stats
from .models import Campaign, Hallmark, Item, ItemKind, Level, RespondentGroup
from .rings import LevelMarker
from .selectors import instrument_items
from .snapshot import snapshot_current

ALL = "all"


@dataclass(frozen=True)
class Cell:
    """One group's figures for one question (or the total when group == "all")."""

    group: str
    label: str
    n: int
    suppressed: bool
    summary: stats.LevelSummary | None = None
    dont_know: int | None = None
    counts: Mapping[int, int] | None = None
    target_mean: float | None = None
    target_n: int | None = None  # None where the target table is withheld
    gap: float | None = None
    momentum: stats.Momentum | None = None
    previous_mean: float | None = None


@dataclass(frozen=True)
class LevelResult:
    level: str
    label: str
    descriptions: Sequence[str]
    rows: Sequence[Cell]
    total: Cell


@dataclass(frozen=True)
class IndexCell:
    group: str
    label: str
    n: int
    suppressed: bool
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class HallmarkResult:
    hallmark: str
    label: str
    rows: Sequence[IndexCell]
    total: IndexCell
    alpha: float | None
    alpha_n: int


@dataclass(frozen=True)
class ItemResult:
    code: str
    text: str
    rows: Sequence[Cell]
    total: Cell


@dataclass(frozen=True)
class GroupCount:
    group: str
    label: str
    n: int
    suppressed: bool


@dataclass
class CampaignResults:
    campaign: Campaign
    min_group_size: int
    total_responses: int
    total_suppressed: bool
    groups: list[GroupCount]
    levels: list[LevelResult] = field(default_factory=list)
    hallmarks: list[HallmarkResult] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    text_items: list[Item] = field(default_factory=list)
    disclosure: disclosure.Disclosure | None = None

    @property
    def visible_groups(self) -> list[str]:
        """Groups whose figures every output may show: those outside the campaign's one hidden set."""
        if self.total_suppressed:
            return []
        return [g.group for g in self.groups if not g.suppressed]

    @property
    def hidden_groups(self) -> list[str]:
        return [g.group for g in self.groups if g.suppressed]

    @property
    def visible_text_groups(self) -> list[str]:
        """Free text is shown exactly for the visible groups (each has at least the minimum number of answers)."""
        return [g.group for g in self.groups if not g.suppressed and g.n >= self.min_group_size]


def group_label(code: str) -> str:
    if code == ALL:
        return _("Alla")
    try:
        return str(RespondentGroup(code).label)
    except ValueError:
        return code


def _int_counts(raw: Mapping[str, int] | None) -> dict[int, int]:
    return {int(k): int(v) for k, v in (raw or {}).items()}


def _scale_counts(counts: Mapping[int, int]) -> dict[int, int]:
    return {v: n for v, n in counts.items() if 1 <= v <= 5 and n}


def _merge(parts: Sequence[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for part in parts:
        for value, n in part.items():
            merged[value] = merged.get(value, 0) + n
    return merged


def _table_name(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def _ring_pairs(items: Sequence[Item]) -> dict[str, dict[bool, Item]]:
    by_level: dict[str, dict[bool, Item]] = {}
    for item in items:
        if item.kind == ItemKind.RING and item.level:
            by_level.setdefault(item.level, {})[item.is_target] = item
    return by_level


def _item_sizes(item: Item, per_group: Mapping[str, Mapping[int, int]]) -> dict[str, int]:
    if item.kind == ItemKind.CHOICE:
        return {g: sum(c.values()) for g, c in per_group.items()}
    return {g: sum(_scale_counts(c).values()) for g, c in per_group.items()}


def disclosure_tables(items: Sequence[Item], data: Mapping[str, Any], groups: Sequence[str]) -> list[disclosure.Table]:
    """Every table a campaign publishes, as counts per group, for the one joint hidden set."""

    def counts(code: str) -> dict[str, dict[int, int]]:
        return {g: _int_counts(data["counts"].get(code, {}).get(g)) for g in groups}

    tables = [disclosure.Table(disclosure.GROUPS_TABLE, {g: int(data["groups"].get(g, 0)) for g in groups})]
    for level, pair in _ring_pairs(items).items():
        if False not in pair:
            continue
        for is_target, suffix in ((False, "today"), (True, "target")):
            if is_target in pair:
                per_group = counts(pair[is_target].code)
                tables.append(
                    disclosure.Table(
                        _table_name("level", f"{level}:{suffix}"),
                        {g: sum(_scale_counts(c).values()) for g, c in per_group.items()},
                    )
                )
    for hallmark in Hallmark.values:
        if any(i.kind == ItemKind.LIKERT and i.hallmark == hallmark for i in items):
            per_hallmark = data["hallmarks"].get(hallmark, {})
            tables.append(
                disclosure.Table(
                    _table_name("hallmark", hallmark),
                    {g: int(per_hallmark.get(g, {}).get("n", 0)) for g in groups},
                )
            )
    for item in items:
        if item.kind in (ItemKind.LIKERT, ItemKind.CHOICE) and not item.hallmark:
            tables.append(disclosure.Table(_table_name("item", item.code), _item_sizes(item, counts(item.code))))
        elif item.kind == ItemKind.TEXT:
            texts = data.get("texts", {}).get(item.code, {})
            tables.append(
                disclosure.Table(_table_name("text", item.code), {g: int(texts.get(g, 0)) for g in groups}, False)
            )
    return tables


def campaign_disclosure(
    campaign: Campaign, data: Mapping[str, Any], items: Sequence[Item] | None = None
) -> disclosure.Disclosure:
    """The campaign's one hidden set and withheld tables, from its snapshot."""
    groups = list(campaign.respondent_groups)
    items = list(instrument_items(campaign.instrument)) if items is None else items
    return disclosure.joint_suppression(
        disclosure_tables(items, data, groups),
        groups=groups,
        min_size=stats.effective_min_group_size(campaign.min_group_size),
    )


def _cell(group: str, counts: Mapping[int, int], *, hidden: bool, with_counts: bool = True) -> Cell:
    scale = _scale_counts(counts)
    n = sum(scale.values())
    if hidden:
        # A hidden cell carries no figures at all, not even its size, so no output can leak it.
        return Cell(group=group, label=group_label(group), n=0, suppressed=True)
    return Cell(
        group=group,
        label=group_label(group),
        n=n,
        suppressed=False,
        summary=stats.summarize_counts(scale) if n else None,
        dont_know=counts.get(9, 0),
        counts=scale if with_counts else None,
    )


def _moments(counts: Mapping[int, int]) -> stats.Moments | None:
    return stats.moments_from_counts(_scale_counts(counts))


@dataclass(frozen=True)
class _Previous:
    """The previous round's ring counts and what its own outputs publish (its own joint hidden set)."""

    counts: Mapping[str, Mapping[str, Mapping[int, int]]]
    disclosure: disclosure.Disclosure | None
    level_codes: Mapping[str, str]  # level → the previous round's today item code


def _previous_round(campaign: Campaign) -> _Previous:
    previous = campaign.previous
    if previous is None:
        return _Previous({}, None, {})
    data = snapshot_current(campaign=previous)
    items = list(instrument_items(previous.instrument))
    counts = {code: {g: _int_counts(c) for g, c in groups.items()} for code, groups in data["counts"].items()}
    levels = {level: pair[False].code for level, pair in _ring_pairs(items).items() if False in pair}
    return _Previous(counts, campaign_disclosure(previous, data, items), levels)


def _previous_moments(previous: _Previous, level: str, group: str, min_size: int) -> stats.Moments | None:
    """The previous round's mean for one level and group, only where that round itself shows it
    and its n reaches this round's minimum too."""
    if previous.disclosure is None or level not in previous.level_codes:
        return None
    table = _table_name("level", f"{level}:today")
    per_group = previous.counts.get(previous.level_codes[level], {})
    if group == ALL:
        if not previous.disclosure.shows_table(table):
            return None
        counts: Mapping[int, int] = _merge(list(per_group.values()))
    else:
        if not previous.disclosure.shows(table, group) or group not in previous.disclosure.groups:
            return None
        counts = per_group.get(group, {})
    moments = _moments(counts)
    if moments is None or moments.n < max(min_size, previous.disclosure.min_size):
        return None
    return moments


def _level_results(
    campaign: Campaign,
    items: Sequence[Item],
    data: Mapping[str, Any],
    groups: Sequence[str],
    shown: disclosure.Disclosure,
) -> list[LevelResult]:
    min_size = shown.min_size
    previous = _previous_round(campaign)
    by_level = _ring_pairs(items)
    results = []
    for level in Level.values:
        pair = by_level.get(level)
        if not pair or False not in pair:
            continue
        today_item, target_item = pair[False], pair.get(True)
        today = {g: _int_counts(data["counts"].get(today_item.code, {}).get(g)) for g in groups}
        target = (
            {g: _int_counts(data["counts"].get(target_item.code, {}).get(g)) for g in groups} if target_item else {}
        )
        today_table = _table_name("level", f"{level}:today")
        target_table = _table_name("level", f"{level}:target")
        rows: list[Cell] = []
        for group in [*groups, ALL]:
            if group == ALL:
                today_counts = _merge(list(today.values()))
                target_counts = _merge(list(target.values()))
                visible = shown.shows_table(today_table)
                target_visible = target_item is not None and shown.shows_table(target_table)
            else:
                today_counts, target_counts = today[group], target.get(group, {})
                visible = shown.shows(today_table, group)
                target_visible = target_item is not None and shown.shows(target_table, group)
            cell = _cell(group, today_counts, hidden=not visible)
            if not cell.suppressed:
                # Each statistic through its own n: the target mean only from a shown target table
                # (its n ≥ the minimum), the arrow only where the previous round showed the same cell.
                target_scale = _scale_counts(target_counts) if target_visible else {}
                target_n = sum(target_scale.values())
                target_moments = stats.moments_from_counts(target_scale)
                target_mean = target_moments.mean if target_moments else None
                momentum = previous_mean = None
                previous_moments = _previous_moments(previous, level, group, min_size)
                current_moments = _moments(today_counts)
                if previous_moments and current_moments:
                    momentum = stats.momentum(previous_moments, current_moments)
                    previous_mean = previous_moments.mean
                cell = Cell(
                    **{
                        **cell.__dict__,
                        "target_mean": target_mean,
                        "target_n": target_n if target_visible else None,
                        "gap": stats.gap_to_target(cell.summary.mean if cell.summary else None, target_mean),
                        "momentum": momentum,
                        "previous_mean": previous_mean,
                    }
                )
            rows.append(cell)
        results.append(
            LevelResult(
                level=level,
                label=str(Level(level).label),
                descriptions=list(today_item.options),
                rows=rows[:-1],
                total=rows[-1],
            )
        )
    return results


def _index_cell(group: str, moments: Mapping[str, Any] | None, *, hidden: bool) -> IndexCell:
    n = int(moments["n"]) if moments else 0
    if hidden or not moments or n == 0:
        return IndexCell(group=group, label=group_label(group), n=0, suppressed=hidden)
    summary = stats.moments_from_sums(n, moments["sum"], moments["sumsq"])
    ci = stats.mean_ci(summary) if summary else None
    return IndexCell(
        group=group,
        label=group_label(group),
        n=n,
        suppressed=False,
        mean=summary.mean if summary else None,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
    )


def _alpha(per_group: Mapping[str, Mapping[str, Any]], item_codes: Sequence[str]) -> tuple[float | None, int]:
    n = sum(int(g["n_complete"]) for g in per_group.values())
    if not stats.alpha_is_shown(n) or len(item_codes) < 2:
        return None, n
    item_variances = []
    for code in item_codes:
        total = sum(g["items"].get(code, [0.0, 0.0])[0] for g in per_group.values())
        total_sq = sum(g["items"].get(code, [0.0, 0.0])[1] for g in per_group.values())
        moments = stats.moments_from_sums(n, total, total_sq)
        item_variances.append((moments.sd or 0.0) ** 2 if moments else 0.0)
    totals = stats.moments_from_sums(
        n,
        sum(g["complete_sum"] for g in per_group.values()),
        sum(g["complete_sumsq"] for g in per_group.values()),
    )
    if totals is None or not totals.sd:
        return None, n
    alpha = stats.cronbach_alpha_from_moments(
        item_count=len(item_codes), item_variances=item_variances, total_variance=totals.sd**2
    )
    return (alpha if alpha is None or math.isfinite(alpha) else None), n


def _hallmark_results(
    items: Sequence[Item], data: Mapping[str, Any], groups: Sequence[str], shown: disclosure.Disclosure
) -> list[HallmarkResult]:
    results = []
    for hallmark in Hallmark.values:
        codes = [i.code for i in items if i.kind == ItemKind.LIKERT and i.hallmark == hallmark]
        if not codes:
            continue
        table = _table_name("hallmark", hallmark)
        per_group = {g: v for g, v in data["hallmarks"].get(hallmark, {}).items() if g in groups}
        rows = [_index_cell(g, per_group.get(g), hidden=not shown.shows(table, g)) for g in groups]
        merged = None
        if per_group:
            merged = {
                "n": sum(int(v["n"]) for v in per_group.values()),
                "sum": sum(v["sum"] for v in per_group.values()),
                "sumsq": sum(v["sumsq"] for v in per_group.values()),
            }
        total = _index_cell(ALL, merged, hidden=not shown.shows_table(table))
        if total.suppressed or total.n == 0:
            total = IndexCell(group=ALL, label=group_label(ALL), n=0, suppressed=True)
        alpha, alpha_n = _alpha(per_group, codes) if not total.suppressed else (None, 0)
        # Alpha through its own n: 30 complete answers, and never fewer than the minimum.
        if alpha_n < max(stats.ALPHA_MIN_N, shown.min_size):
            alpha = None
        results.append(
            HallmarkResult(
                hallmark=hallmark,
                label=str(Hallmark(hallmark).label),
                rows=rows,
                total=total,
                alpha=alpha,
                alpha_n=alpha_n if alpha_n >= shown.min_size else 0,
            )
        )
    return results


def _item_results(
    items: Sequence[Item], data: Mapping[str, Any], groups: Sequence[str], shown: disclosure.Disclosure
) -> list[ItemResult]:
    """Likert and choice items outside the hallmark indices (e.g. the participant questionnaire)."""
    results = []
    for item in items:
        if item.kind not in (ItemKind.LIKERT, ItemKind.CHOICE) or item.hallmark:
            continue
        table = _table_name("item", item.code)
        per_group = {g: _int_counts(data["counts"].get(item.code, {}).get(g)) for g in groups}
        rows = [_cell(g, per_group[g], hidden=not shown.shows(table, g)) for g in groups]
        total = _cell(ALL, _merge(list(per_group.values())), hidden=not shown.shows_table(table))
        results.append(ItemResult(code=item.code, text=item.text, rows=rows, total=total))
    return results


def campaign_results(*, campaign: Campaign) -> CampaignResults:
    """All figures of one campaign, suppressed for anonymity. The only way outputs read results."""
    return results_from_snapshot(campaign, snapshot_current(campaign=campaign))


def results_from_snapshot(
    campaign: Campaign, data: Mapping[str, Any], items: Sequence[Item] | None = None
) -> CampaignResults:
    """The suppressed figures from a snapshot {"groups", "counts", "texts", "hallmarks"} (and the previous round's)."""
    groups = list(campaign.respondent_groups)
    items = list(instrument_items(campaign.instrument)) if items is None else list(items)
    shown = campaign_disclosure(campaign, data, items)
    group_sizes = {g: int(data["groups"].get(g, 0)) for g in groups}
    total = sum(group_sizes.values())
    return CampaignResults(
        campaign=campaign,
        min_group_size=shown.min_size,
        total_responses=total,
        total_suppressed=shown.nothing_published,
        groups=[
            GroupCount(g, group_label(g), 0 if g in shown.hidden else group_sizes[g], g in shown.hidden) for g in groups
        ],
        levels=_level_results(campaign, items, data, groups, shown),
        hallmarks=_hallmark_results(items, data, groups, shown),
        items=_item_results(items, data, groups, shown),
        text_items=[i for i in items if i.kind == ItemKind.TEXT],
        disclosure=shown,
    )


def ring_markers(results: CampaignResults) -> list[LevelMarker]:
    """One marker per level for the three-ring picture, from the whole campaign's (suppressed) totals."""
    markers = []
    for level in results.levels:
        total = level.total
        markers.append(
            LevelMarker(
                level=level.level,
                label=level.label,
                mean=total.summary.mean if total.summary and not total.suppressed else None,
                target_mean=total.target_mean,
                previous_mean=total.previous_mean,
                suppressed=total.suppressed,
                change_detectable=bool(total.momentum and total.momentum.detectable),
            )
        )
    return markers
