"""The results page's figures for one scenario: per actor after one year and after the horizon, the Monte
Carlo percentiles, who invests and who gains, and the two charts with their tables (selectors: reads only).

Everything is computed by the pure calculation (calc.py) from the stored scenario object; this module only
arranges it for the page and the PDF (ereport reuses `scenario_results` and charts.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import calc, charts
from .actors import TOTAL, TOTAL_LABEL, Actor
from .messages import input_label
from .scenario_validation import FieldError, scenario_errors


def actor_label(code: str) -> str:
    return str(TOTAL_LABEL) if code == TOTAL else str(Actor(code).label)


def payback_years(months: int | None) -> float | None:
    return None if months is None else round(months / 12, 1)


@dataclass
class ActorRow:
    code: str
    label: str
    first: dict[str, Any]  # after year 1: cost, gain, npv, return_ratio, payback_months
    horizon: dict[str, Any]  # after the horizon, with the Monte Carlo fields when there are ranges
    payback_years: float | None = None
    # After five years, when the horizon is longer (issue 12: "results after 1 and 5 years").
    five: dict[str, Any] | None = None

    @property
    def is_total(self) -> bool:
        return self.code == TOTAL


@dataclass
class Results:
    ok: bool
    errors: list[FieldError] = field(default_factory=list)
    horizon_years: int = 0
    price_year: int = 0
    discount_rate: float = 0.0
    ranged: bool = False
    draws: int = 0
    seconds: float = 0.0
    rows: list[ActorRow] = field(default_factory=list)
    matrix_columns: list[tuple[str, str]] = field(default_factory=list)  # (code, label) of actors with flows
    matrix: list[dict[str, Any]] = field(default_factory=list)  # {"label", "kind", "cells": {code: value}}
    years: list[dict[str, Any]] = field(default_factory=list)  # {"year", "values": {code: cumulative}}
    cumulative_svg: SafeString = field(default_factory=lambda: mark_safe(""))
    tornado: list[dict[str, Any]] = field(default_factory=list)
    tornado_svg: SafeString = field(default_factory=lambda: mark_safe(""))
    base_npv: float = 0.0

    @property
    def has_five_years(self) -> bool:
        return bool(self.rows) and self.rows[0].five is not None

    @property
    def milliseconds(self) -> int:
        return max(1, round(self.seconds * 1000))


def _active_actors(result: dict[str, Any]) -> list[str]:
    """The actors with any cost or gain (the others would only add rows of zeros)."""
    return [a for a in calc.RESULT_ACTORS if any(abs(result["actors"][a][k]) > 0.5 for k in ("cost", "gain"))]


def _flows_matrix(parsed: calc.Scenario, items: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    """Who invests and who gains: one row for the investments of each investor, one per outcome, each the
    present value it means to every actor (a cost negative), from each item's own present value (calc's
    `items`): the association's money split among its financiers by the pool split, a transfer a gain to its
    payer and the same loss to its receiver, a real resource a gain to its actor."""
    split = dict(parsed.pool_split)
    rows: list[dict[str, Any]] = []
    investors: dict[str, float] = {}
    for item in items:
        if item["kind"] == "investment":
            investors[item["actor"]] = investors.get(item["actor"], 0.0) + item["present_value"]
    for investor, value in investors.items():
        bearers = split if investor == calc.SAMORDNINGSFORBUND else {investor: 1.0}
        cells = {a: -value * bearers.get(a, 0.0) for a in columns}
        rows.append(
            {
                "label": _("Investering: %(actor)s") % {"actor": actor_label(investor)},
                "kind": "investment",
                "cells": cells,
                "total": -value,
            }
        )
    for item in items:
        if item["kind"] == "investment":
            continue
        value = item["present_value"]
        if item["kind"] == "transfer":
            cells = {a: (value if a == item["payer"] else -value if a == item["receiver"] else 0.0) for a in columns}
            total = 0.0
        else:
            cells = {a: (value if a == item["actor"] else 0.0) for a in columns}
            total = value
        rows.append({"label": item["name"], "kind": item["kind"], "cells": cells, "total": total})
    return rows


RATE_FIELDS = ("discount_rate", "deadweight", "decay")
FIVE_YEARS = 5


def _input_text(field_path: str, value: float) -> str:
    """An input's value as the builder shows it: rates in per cent, amounts and counts as numbers."""
    if field_path.split(".")[-1] in RATE_FIELDS:
        return f"{value * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " %"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u2009")
    return f"{value:.4g}".replace(".", ",")


def scenario_results(scenario: Any, *, kpi_table: dict[int, float] | None = None) -> Results:
    """The results page's figures for a stored scenario (or its problems, if it no longer calculates)."""
    data = dict(scenario.data)
    errors = scenario_errors(data, kpi_table=kpi_table)
    if errors:
        return Results(ok=False, errors=errors)
    parsed = calc.parse_scenario(data, kpi_table=kpi_table)
    started = time.perf_counter()
    full = calc.calculate(parsed)
    seconds = time.perf_counter() - started
    first = calc.evaluate(parsed, horizon_years=1)
    five = calc.evaluate(parsed, horizon_years=FIVE_YEARS) if parsed.horizon_years > FIVE_YEARS else None
    active = _active_actors(full)
    codes = [*active, TOTAL]
    rows = []
    for code in codes:
        horizon = full["actors"][code]
        rows.append(
            ActorRow(
                code=code,
                label=actor_label(code),
                first=first["actors"][code],
                horizon=horizon,
                payback_years=payback_years(horizon.get("payback_months")),
                five=five["actors"][code] if five else None,
            )
        )
    years = [
        {"year": y["year"], "values": {code: y["actors"][code]["cumulative_net"] for code in codes}}
        for y in full["years"]
    ]
    series = [
        charts.Series(code, actor_label(code), [y["values"][code] for y in years], total=code == TOTAL)
        for code in codes
    ]
    cumulative = charts.cumulative_chart_svg(
        series,
        year_label=_("År"),
        title=_("Ackumulerat nuvärde per aktör, år för år"),
        desc=_(
            "Linjer för varje aktörs ackumulerade diskonterade resultat (intäkter minus kostnader) under "
            "%(years)s år. Samma siffror finns i tabellen under diagrammet."
        )
        % {"years": parsed.horizon_years},
    )
    results = Results(
        ok=True,
        horizon_years=parsed.horizon_years,
        price_year=parsed.price_year,
        discount_rate=parsed.discount_rate.mode,
        ranged=calc.has_ranges(parsed),
        draws=parsed.draws,
        seconds=seconds,
        rows=rows,
        matrix_columns=[(code, actor_label(code)) for code in active],
        matrix=_flows_matrix(parsed, full["items"], active),
        years=years,
        cumulative_svg=mark_safe(cumulative),  # noqa: S308 - built by charts.py, every text escaped there
        base_npv=full["actors"][TOTAL]["npv"],
    )
    if full["tornado"]:
        results.tornado = [
            {
                **bar,
                "name": input_label(parsed, bar["field"]),
                "low_text": _input_text(bar["field"], bar["low"]),
                "high_text": _input_text(bar["field"], bar["high"]),
            }
            for bar in full["tornado"]
        ]
        bars = [charts.Bar(bar["name"], bar["npv_low"], bar["npv_high"]) for bar in results.tornado[:12]]
        results.tornado_svg = mark_safe(  # noqa: S308 - built by charts.py, every text escaped there
            charts.tornado_svg(
                bars,
                base=results.base_npv,
                title=_("Vilka antaganden betyder mest (tornadodiagram)"),
                desc=_(
                    "Det totala nuvärdet när ett osäkert antagande i taget sätts till sitt lägsta och sitt högsta "
                    "värde och de andra till sina troligaste. Störst utslag överst. Siffrorna finns i tabellen."
                ),
                low_label=_("Lägsta värdet"),
                high_label=_("Högsta värdet"),
            )
        )
    return results
