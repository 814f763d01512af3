"""The portfolio of one association: the movement from projects to permanent operations, and per year who
finances what, which agencies take part where, staff time, and budget against outcome.

The shares come from the pure module portfolio_shares.py, the chart's geometry from portfolio_chart.py.
An intervention counts as a project in the years before the year it became permanent, and as
permanent operations from that year on (`Intervention.form_in_year`).

Participants: the numbers come from `portfolio_counts.participant_totals` and are published only as each
year's split between projects and permanent operations, never per intervention. A year's split is shown
only when both of its parts are 0 or at least the association's minimum group size: otherwise that
year's participants are hidden (both parts, since the total minus one part gives the other away), and
left out of the chart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Agency, Association

from .models import FinancierKind, Financing, Form, InKind, InKindUnit, Intervention
from .portfolio_chart import Chart, arrow_chart
from .portfolio_counts import participant_totals
from .portfolio_shares import Split, YearShare, percentages, portfolio_shares


def min_group_size(association: Association) -> int:
    return max(association.min_group_size, settings.SAMVERKAN_MIN_GROUP_SIZE)


def participants_publishable(split: Split, min_size: int) -> bool:
    return all(part == 0 or part >= min_size for part in (split.project, split.permanent))


@dataclass(frozen=True)
class Financier:
    key: str
    label: str


@dataclass
class ShareRow:
    year: int
    money: Split
    money_percent: tuple[int, int] | None  # (project, permanent), or None when the year has no money
    participants: Split | None  # None when hidden (too few) or nobody
    participants_percent: tuple[int, int] | None
    participants_hidden: bool


@dataclass
class Portfolio:
    association: Association
    years: list[int]
    year: int | None
    rows: list[ShareRow]
    chart: Chart
    min_size: int
    financiers: list[Financier] = field(default_factory=list)
    financing_rows: list[dict[str, Any]] = field(default_factory=list)
    financing_totals: list[int] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    matrix_rows: list[dict[str, Any]] = field(default_factory=list)
    in_kind_rows: list[dict[str, Any]] = field(default_factory=list)
    budget_rows: list[dict[str, Any]] = field(default_factory=list)
    budget_totals: dict[str, int | None] = field(default_factory=dict)

    @property
    def current_share(self) -> ShareRow | None:
        return next((row for row in self.rows if row.year == self.year), None)


def _percent_pair(split: Split) -> tuple[int, int] | None:
    if not split.total:
        return None
    assert split.share_project is not None and split.share_permanent is not None
    project, permanent = percentages([split.share_project, split.share_permanent])
    return project, permanent


def _financier(row: Financing) -> Financier:
    if row.financier_kind == FinancierKind.AGENCY and row.agency is not None:
        return Financier(f"agency:{row.agency_id}", row.agency.name)
    if row.financier_kind == FinancierKind.EXTERNAL:
        name = row.external_name.strip() or str(FinancierKind.EXTERNAL.label)
        return Financier(f"external:{name.casefold()}", name)
    return Financier("pooled", str(FinancierKind.POOLED.label))


def _financier_order(financier: Financier) -> tuple[int, str]:
    kind = financier.key.partition(":")[0]
    return ({"pooled": 0, "agency": 1, "external": 2}[kind], financier.label.casefold())


def build_portfolio(association: Association, year: int | None) -> Portfolio:
    """The portfolio; `year` chooses the year of the tables (default: the latest year with money)."""
    interventions = list(Intervention.objects.for_association(association).prefetch_related("agencies"))
    by_id = {i.pk: i for i in interventions}
    financing = list(
        Financing.objects.filter(intervention__association=association).select_related("agency").order_by("pk")
    )
    in_kind = list(InKind.objects.filter(intervention__association=association).select_related("agency"))
    counts = participant_totals(association)

    money_rows = [(f.year, by_id[f.intervention_id].form_in_year(f.year), int(f.amount)) for f in financing]
    participant_rows = [(y, by_id[i].form_in_year(y), n) for (i, y), n in counts.items() if i in by_id]
    years = sorted({r[0] for r in money_rows} | {r[0] for r in participant_rows} | {k.year for k in in_kind})
    shares = portfolio_shares(money_rows, participant_rows, years)
    min_size = min_group_size(association)

    rows: list[ShareRow] = []
    charted: list[YearShare] = []
    for share in shares:
        hidden = share.participants.total > 0 and not participants_publishable(share.participants, min_size)
        shown = None if hidden or not share.participants.total else share.participants
        rows.append(
            ShareRow(
                year=share.year,
                money=share.money,
                money_percent=_percent_pair(share.money),
                participants=shown,
                participants_percent=_percent_pair(shown) if shown else None,
                participants_hidden=hidden,
            )
        )
        charted.append(YearShare(share.year, share.money, shown or Split()))

    if year is None or year not in years:
        with_money = [r.year for r in rows if r.money.total]
        year = with_money[-1] if with_money else (years[-1] if years else None)
    portfolio = Portfolio(association, years, year, rows, arrow_chart(charted), min_size)
    if year is None:
        return portfolio

    # Who finances what, in the chosen year.
    year_financing = [f for f in financing if f.year == year]
    financiers = sorted({_financier(f) for f in year_financing}, key=_financier_order)
    amounts: dict[tuple[int, str], int] = defaultdict(int)
    for f in year_financing:
        amounts[(f.intervention_id, _financier(f).key)] += int(f.amount)
    active = [i for i in interventions if i.active_in_year(year) or any(k[0] == i.pk for k in amounts)]
    portfolio.financiers = financiers
    for intervention in active:
        cells = [amounts.get((intervention.pk, f.key)) for f in financiers]
        portfolio.financing_rows.append(
            {
                "intervention": intervention,
                "form": Form(intervention.form_in_year(year)).label,
                "cells": cells,
                "total": sum(c or 0 for c in cells),
            }
        )
    portfolio.financing_totals = [sum(amounts.get((i.pk, f.key), 0) for i in active) for f in financiers]

    # Which agencies take part in which interventions (and whether they put money or staff time in that year).
    agency_ids = {a.pk for a in association.agencies.all()} | {a.pk for i in active for a in i.agencies.all()}
    agencies = sorted(Agency.objects.filter(pk__in=agency_ids), key=lambda a: (a.kind, a.name))
    portfolio.agencies = agencies
    year_in_kind = [k for k in in_kind if k.year == year]
    gives_money = {(f.intervention_id, f.agency_id) for f in year_financing if f.agency_id}
    gives_time = {(k.intervention_id, k.agency_id) for k in year_in_kind}
    for intervention in active:
        members = {a.pk for a in intervention.agencies.all()}
        portfolio.matrix_rows.append(
            {
                "intervention": intervention,
                "cells": [
                    {
                        "agency": agency,
                        "takes_part": agency.pk in members,
                        "money": (intervention.pk, agency.pk) in gives_money,
                        "time": (intervention.pk, agency.pk) in gives_time,
                    }
                    for agency in agencies
                ],
            }
        )

    # Staff time and other in-kind resources per agency in the year.
    time: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    names: dict[int, str] = {}
    for k in year_in_kind:
        time[k.agency_id][k.unit] += k.quantity
        names[k.agency_id] = k.agency.name
    portfolio.in_kind_rows = [
        {"agency": names[a], "hours": time[a].get(InKindUnit.HOURS), "fte": time[a].get(InKindUnit.FTE)}
        for a in sorted(time, key=lambda a: names[a])
    ]

    # Budget against outcome per intervention in the year.
    budget: dict[int, int | None] = {}
    outcome: dict[int, int] = defaultdict(int)
    for f in year_financing:
        outcome[f.intervention_id] += int(f.amount)
        if f.budget is not None:
            budget[f.intervention_id] = (budget.get(f.intervention_id) or 0) + int(f.budget)
        else:
            budget.setdefault(f.intervention_id, None)
    for intervention in active:
        b, o = budget.get(intervention.pk), outcome.get(intervention.pk, 0)
        portfolio.budget_rows.append(
            {
                "intervention": intervention,
                "budget": b,
                "outcome": o,
                "difference": None if b is None else o - b,
                "used_percent": None if not b else round(100 * o / b),
            }
        )
    known = [r for r in portfolio.budget_rows if r["budget"] is not None]
    portfolio.budget_totals = {
        "budget": sum(r["budget"] for r in known) if known else None,
        "outcome": sum(r["outcome"] for r in portfolio.budget_rows),
    }
    return portfolio


def export_sheets(portfolio: Portfolio) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The portfolio's tables as (sheet, Swedish header, rows) for the XLSX export; the same suppression."""
    hidden = _("för få")
    shares = [
        [
            r.year,
            r.money.project,
            r.money.permanent,
            r.money_percent[1] if r.money_percent else None,
            hidden if r.participants_hidden else (r.participants.project if r.participants else 0),
            hidden if r.participants_hidden else (r.participants.permanent if r.participants else 0),
            r.participants_percent[1] if r.participants_percent else None,
        ]
        for r in portfolio.rows
    ]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            _("Andel per år"),
            [
                _("År"),
                _("Kronor i projekt"),
                _("Kronor i permanent verksamhet"),
                _("Andel kronor i permanent verksamhet (%)"),
                _("Deltagare i projekt"),
                _("Deltagare i permanent verksamhet"),
                _("Andel deltagare i permanent verksamhet (%)"),
            ],
            shares,
        )
    ]
    year = portfolio.year
    if year is None:
        return sheets
    sheets.append(
        (
            _("Finansiering %(year)s") % {"year": year},
            [_("Insats"), _("Form"), *[f.label for f in portfolio.financiers], _("Summa (kr)")],
            [
                [r["intervention"].name, str(r["form"]), *[c or 0 for c in r["cells"]], r["total"]]
                for r in portfolio.financing_rows
            ],
        )
    )
    yes, no = _("Ja"), _("Nej")
    sheets.append(
        (
            _("Medverkande %(year)s") % {"year": year},
            [_("Insats"), *[a.name for a in portfolio.agencies]],
            [
                [r["intervention"].name, *[yes if c["takes_part"] else no for c in r["cells"]]]
                for r in portfolio.matrix_rows
            ],
        )
    )
    sheets.append(
        (
            _("Personaltid %(year)s") % {"year": year},
            [_("Myndighet"), _("Timmar"), _("Årsarbetare")],
            [[r["agency"], r["hours"], r["fte"]] for r in portfolio.in_kind_rows],
        )
    )
    sheets.append(
        (
            _("Budget och utfall %(year)s") % {"year": year},
            [_("Insats"), _("Budget (kr)"), _("Utfall (kr)"), _("Skillnad (kr)"), _("Utfall av budget (%)")],
            [
                [r["intervention"].name, r["budget"], r["outcome"], r["difference"], r["used_percent"]]
                for r in portfolio.budget_rows
            ],
        )
    )
    return sheets


def portfolio_xlsx(portfolio: Portfolio) -> bytes:
    """The portfolio's tables as one workbook: Mät's writer (bold frozen header, typed names stay text)."""
    from samverkan.measure.exports import xlsx_workbook

    return xlsx_workbook([(title[:31], header, rows) for title, header, rows in export_sheets(portfolio)])
