"""How a round's figures are shown: Swedish labels, percentages with a decimal comma, the change since before."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .map_text import depth_name
from .metrics import EdgeAnswer, NetworkMetrics, TieChange

PERCENT_FIGURES = ("response_rate", "density", "reciprocity", "knows_whom_to_call")


def _number(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def format_figure(figure: str, value: float | int | None) -> str:
    if value is None:
        return "–"
    if figure in PERCENT_FIGURES:
        return f"{round(value * 100)} %"
    if isinstance(value, int):
        return str(value)
    return _number(value)


def format_change(figure: str, value: float | int | None) -> str:
    if value is None:
        return "–"
    if figure in PERCENT_FIGURES:
        points = round(value * 100)
        return ("+" if points > 0 else "−" if points < 0 else "±") + f"{abs(points)} " + _("procentenheter")
    if isinstance(value, int):
        return ("+" if value > 0 else "−" if value < 0 else "±") + str(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + _number(abs(value))


def figure_labels() -> list[tuple[str, str, str]]:
    return [
        ("response_rate", _("Svarsfrekvens"), _("Andelen myndigheter som har svarat.")),
        ("edges", _("Samverkansband"), _("Svar om samverkan på minst nivå 1 (nätverkande), i en riktning.")),
        ("density", _("Täthet"), _("Andelen av alla möjliga band (i båda riktningar) som finns.")),
        (
            "reciprocity",
            _("Ömsesidighet"),
            _("Andelen band där den andra myndigheten också anger samverkan tillbaka."),
        ),
        (
            "degree_centralization",
            _("Centralisering"),
            _("0 = alla har lika många kontakter, 1 = en myndighet håller ihop hela nätet (Freemans mått)."),
        ),
        (
            "knows_whom_to_call",
            _("Vet vem de ska ringa"),
            _("Andelen av de svarandes svar om andra myndigheter där de vet vem de ska ringa."),
        ),
    ]


def figure_rows(
    metrics: NetworkMetrics, change: dict[str, Any] | None, *, before: NetworkMetrics | None = None
) -> list[dict[str, str]]:
    rows = []
    for figure, label, help_text in figure_labels():
        rows.append(
            {
                "key": figure,
                "label": label,
                "help": help_text,
                "value": format_figure(figure, getattr(metrics, figure)),
                "before": format_figure(figure, getattr(before, figure)) if before is not None else "",
                "change": format_change(figure, change.get(figure)) if change is not None else "",
            }
        )
    return rows


def agency_table(
    metrics: NetworkMetrics, answers: Sequence[EdgeAnswer], change: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Per agency: the figures of metrics.py, formatted, and how many respondents know whom to call there."""
    asked: dict[str, int] = {}
    knows: dict[str, int] = {}
    for answer in answers:
        asked[answer.target] = asked.get(answer.target, 0) + 1
        knows[answer.target] = knows.get(answer.target, 0) + (1 if answer.knows_whom_to_call else 0)
    rows = []
    for name, agency in metrics.agencies.items():
        delta = (change or {}).get("agencies", {}).get(name, {})
        rows.append(
            {
                "name": name,
                "responded": agency.responded,
                "out_degree": agency.out_degree if agency.responded else None,
                "in_degree": agency.in_degree,
                "weighted_degree": agency.weighted_degree,
                "mean_trust_received": format_figure("mean", agency.mean_trust_received),
                "mean_value_received": format_figure("mean", agency.mean_value_received),
                "knows": knows.get(name, 0),
                "asked": asked.get(name, 0),
                "in_degree_change": format_change("in_degree", delta.get("in_degree")) if delta else "",
            }
        )
    return rows


def short_names(nodes: Sequence[str]) -> dict[str, str]:
    """Labels for the map: "Sala kommun" as "Sala", the rest as they are."""
    return {name: name.removesuffix(" kommun") for name in nodes}


def tie_rows(
    changes: dict[str, list[TieChange]],
    *,
    silent_before: Collection[str] = (),
    silent_after: Collection[str] = (),
) -> list[dict[str, Any]]:
    """The ties that came, went, deepened or became shallower, as groups of readable lines.

    A tie named by an agency that did not answer in one of the rounds is marked: its change may be
    only the missing answer.
    """
    titles = {
        "new": _("Nya band"),
        "deeper": _("Djupare samverkan"),
        "shallower": _("Grundare samverkan"),
        "gone": _("Band som inte längre anges"),
    }
    groups = []
    for key in ("new", "deeper", "shallower", "gone"):
        groups.append(
            {
                "key": key,
                "title": titles[key],
                "ties": [
                    {
                        "source": change.source,
                        "target": change.target,
                        "before": f"{change.before} {depth_name(change.before)}",
                        "after": f"{change.after} {depth_name(change.after)}",
                        "note": (
                            _("svarade inte i den senare omgången")
                            if change.source in silent_after
                            else _("svarade inte i den tidigare omgången")
                            if change.source in silent_before
                            else ""
                        ),
                    }
                    for change in changes.get(key, [])
                ],
            }
        )
    return groups
