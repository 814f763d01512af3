"""The collaboration map's words, in Swedish through gettext: depth names, legend, text alternative.

network_map.py (pure) draws whatever text it is given; this module gives it the translated texts and
returns the picture as safe HTML for a template. `network_map_html` is the one call a page needs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .metrics import DEPTH_MAX, EdgeAnswer, NetworkMetrics, network_metrics
from .network_map import MapLegend, map_svg

# Levels of Collaboration (Frey m.fl. 2006), the survey's depth scale; 0 is no tie.
DEPTH_NAMES: dict[int, Promise] = {
    0: gettext_lazy("Ingen samverkan"),
    1: gettext_lazy("Nätverkande"),
    2: gettext_lazy("Samarbete"),
    3: gettext_lazy("Samordning"),
    4: gettext_lazy("Koalition"),
    5: gettext_lazy("Integrerad samverkan"),
}


def depth_name(depth: int) -> str:
    return str(DEPTH_NAMES[depth]) if depth in DEPTH_NAMES else str(depth)


def map_legend(*, min_depth: int = 1, with_respondents: bool = False) -> MapLegend:
    """The legend for the depths the map shows (min_depth and deeper)."""
    return MapLegend(
        depths={depth: f"{depth} {depth_name(depth)}" for depth in range(max(1, min_depth), DEPTH_MAX + 1)},
        mutual=_("Ömsesidigt band (heldragen linje)"),
        one_way=_("Enkelriktat band (streckad linje)"),
        non_respondent=_("Har inte svarat (ofylld ring)") if with_respondents else "",
    )


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def map_description(metrics: NetworkMetrics, *, min_depth: int = 1, labels: Mapping[str, str] | None = None) -> str:
    """The map in words (its <desc>): how many agencies and ties, how many mutual, who has most ties."""
    labels = labels or {}
    sentences = [
        ngettext(
            "%(count)d myndighet",
            "%(count)d myndigheter",
            metrics.nodes,
        )
        % {"count": metrics.nodes}
        + ", "
        + ngettext(
            "%(count)d band med djupet %(depth)s (%(name)s) eller djupare.",
            "%(count)d band med djupet %(depth)s (%(name)s) eller djupare.",
            metrics.edges,
        )
        % {"count": metrics.edges, "depth": min_depth, "name": depth_name(min_depth).lower()}
    ]
    if metrics.reciprocity is not None:
        sentences.append(
            _("%(share)s av banden är ömsesidiga: båda myndigheterna nämner varandra.")
            % {"share": _percent(metrics.reciprocity)}
        )
    degrees = {name: a.in_degree + a.out_degree for name, a in metrics.agencies.items()}
    top = max(degrees.values(), default=0)
    if top:
        leaders = [labels.get(name, name) for name, degree in degrees.items() if degree == top]
        sentences.append(
            ngettext(
                "Flest band (%(count)d in och ut): %(names)s.",
                "Flest band (%(count)d in och ut): %(names)s.",
                top,
            )
            % {"count": top, "names": ", ".join(leaders)}
        )
    if metrics.non_respondents:
        sentences.append(
            _("Har inte svarat: %(names)s.")
            % {"names": ", ".join(labels.get(name, name) for name in metrics.non_respondents)}
        )
    return " ".join(sentences)


def network_map_html(
    nodes: Sequence[str],
    answers: Iterable[EdgeAnswer],
    *,
    title: str,
    min_depth: int = 1,
    seed: int = 1,
    labels: Mapping[str, str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    respondents: Collection[str] | None = None,
    id_prefix: str = "network-map",
    legend: bool = True,
) -> SafeString:
    """The map as safe SVG markup for a template, with Swedish legend, tooltips and text alternative.

    The page still needs the table beside it (the figures per agency); the <desc> says the main figures.
    """
    answers = list(answers)
    metrics = network_metrics(nodes, answers, respondents=respondents, min_depth=min_depth)
    svg = map_svg(
        nodes,
        answers,
        title=title,
        description=map_description(metrics, min_depth=min_depth, labels=labels),
        min_depth=min_depth,
        seed=seed,
        labels=labels,
        positions=positions,
        respondents=respondents,
        depth_labels={depth: depth_name(depth).lower() for depth in DEPTH_NAMES},
        legend=map_legend(min_depth=min_depth, with_respondents=respondents is not None) if legend else None,
        id_prefix=id_prefix,
    )
    return mark_safe(svg)  # noqa: S308 — network_map escapes every text it is given
