"""The PDF report of one scenario (issue 12): every input with its source and price year, the results per
actor after one year and after the horizon, the Monte Carlo percentiles when there are ranges, the same
charts as the scenario's page, and the assumptions and caveats in plain Swedish.

The figures come from the pure calculation (calc.py) and nothing else; the charts from the page's own
builders (charts.py). WeasyPrint renders the HTML (samverkan/common/pdf.py, the project's one PDF helper).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.common.pdf import pdf_bytes

from . import calc
from .charts import kronor
from .models import Scenario
from .scenario_results import actor_label, scenario_results
from .selectors_prices import kpi_table

__all__ = ["ReportUnavailable", "kpi_table", "report_context", "report_html", "report_pdf"]


class ReportUnavailable(Exception):
    """The stored scenario does not calculate (any more): the message lists every problem, in Swedish."""


def sek(value: float | None) -> str:
    """Every krona, as the results page writes it (charts.kronor)."""
    return "–" if value is None else kronor(float(value), short=False)


def share(value: float) -> str:
    return number_format(round(value * 100, 1), decimal_pos=1 if value * 100 % 1 else 0) + " %"


def quantity_text(q: Any, kind: str = "number") -> str:
    """A plain number, or a range "low–high (troligast mode, triangulär)"."""

    def one(v: float) -> str:
        if kind == "sek":
            return sek(v)
        if kind == "share":
            return share(v)
        return number_format(v, decimal_pos=0 if float(v).is_integer() else 1, force_grouping=True)

    if not q.is_range:
        return one(q.mode)
    names = {"triangular": _("triangulär"), "pert": _("PERT")}
    return _("%(low)s–%(high)s (troligast %(mode)s, %(distribution)s)") % {
        "low": one(q.low),
        "high": one(q.high),
        "mode": one(q.mode),
        "distribution": names.get(q.distribution or "", q.distribution),
    }


def _raw_rows(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    rows = data.get(key) if isinstance(data, Mapping) else None
    return [r if isinstance(r, Mapping) else {} for r in rows] if isinstance(rows, list) else []


def _example_prefixes() -> tuple[str, ...]:
    """How a source says it is an example: in Swedish, and in the language the row was filled in."""
    return tuple(dict.fromkeys(("Exempel", str(_("Exempel")))))


def source_text(raw: Mapping[str, Any]) -> str:
    """The row's source without a leading "Exempel:" (the report shows that as its own label)."""
    text = str(raw.get("source") or "").strip()
    for word in _example_prefixes():
        for separator in (":", " –", " -"):
            if text.startswith(word + separator):
                return text[len(word + separator) :].strip()
    return text


def is_example(raw: Mapping[str, Any]) -> bool:
    ref = raw.get("ref")
    source = str(raw.get("source") or "").strip().lower()
    flagged = isinstance(ref, Mapping) and bool(ref.get("example"))
    return flagged or any(source.startswith(word.lower()) for word in _example_prefixes())


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def caveats(parsed: Any) -> list[str]:
    deadweight = quantity_text(parsed.deadweight, "share")
    decay = quantity_text(parsed.decay, "share")
    return [
        _(
            "Belopp märkta Exempel är typvärden från de angivna källorna, inte förbundets egna siffror. "
            "Byt dem mot egna uppgifter innan kalkylen används som underlag för beslut."
        ),
        _(
            "En transferering (till exempel försörjningsstöd eller ersättning från Försäkringskassan) flyttar "
            "pengar från en aktör till en annan. Den är en vinst för den ena och en lika stor förlust för den "
            "andra, och tar ut sig själv i summan för samhället. Bara reala resurser (arbete, vård, produktion) "
            "ändrar samhällets totala resultat."
        ),
        _(
            "Kalkylen visar vad som händer om antagandena stämmer. Den är ingen skattning av insatsens effekt "
            "(inget orsakssamband är visat): den bygger inte på en jämförelsegrupp."
        ),
        _(
            "Dödvikt %(deadweight)s: den andel av förändringen som antas ha skett ändå, utan insatsen. Den "
            "räknas bort från alla utfall."
        )
        % {"deadweight": deadweight},
        _("Avtagande effekt %(decay)s per år: effekten antas minska med den andelen för varje år efter det första.")
        % {"decay": decay},
        _(
            "Framtida belopp är diskonterade med en real kalkylränta, och alla belopp är omräknade till "
            "prisåret med konsumentprisindex (KPI)."
        ),
        _(
            "Samordningsförbundets medel kommer från dess medlemmar: förbundets kostnad fördelas på dem efter "
            "fördelningen ovan och visas inte som en egen aktör."
        ),
    ]


def report_context(scenario: Scenario, *, kpi_table: Any = None) -> dict[str, Any]:
    results = scenario_results(scenario, kpi_table=kpi_table)
    if not results.ok:
        raise ReportUnavailable("; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in results.errors))
    parsed = calc.parse_scenario(scenario.data, kpi_table=kpi_table)
    raw_investments = _raw_rows(scenario.data, "investments")
    raw_outcomes = _raw_rows(scenario.data, "outcomes")
    used_years = sorted(
        {parsed.price_year, *(i.price_year for i in parsed.investments), *(o.price_year for o in parsed.outcomes)}
    )
    kpi = dict(parsed.kpi)
    investments = []
    for index, item in enumerate(parsed.investments):
        raw = raw_investments[index] if index < len(raw_investments) else {}
        investments.append(
            {
                "actor": actor_label(item.actor),
                "year": item.year,
                "amount": quantity_text(item.amount, "sek"),
                "price_year": item.price_year,
                "factor": item.price_factor,
                "description": raw.get("description", ""),
                "source": source_text(raw),
                "example": is_example(raw),
            }
        )
    outcomes = []
    for index, outcome in enumerate(parsed.outcomes):
        raw = raw_outcomes[index] if index < len(raw_outcomes) else {}
        who = (
            _("%(payer)s → %(receiver)s")
            % {"payer": actor_label(outcome.payer or ""), "receiver": actor_label(outcome.receiver or "")}
            if outcome.kind == "transfer"
            else actor_label(outcome.actor or "")
        )
        outcomes.append(
            {
                "name": outcome.name,
                "kind": _("Transferering") if outcome.kind == "transfer" else _("Real resurs"),
                "who": who,
                "amount": quantity_text(outcome.amount_per_person_year, "sek"),
                "persons": quantity_text(outcome.persons),
                "years": f"{outcome.start_year}–{outcome.end_year}",
                "price_year": outcome.price_year,
                "factor": outcome.price_factor,
                "deadweight": quantity_text(outcome.deadweight, "share") if outcome.deadweight else "",
                "decay": quantity_text(outcome.decay, "share") if outcome.decay else "",
                "source": source_text(raw),
                "description": raw.get("description", ""),
                "example": is_example(raw),
            }
        )
    general = [
        (_("Prisår"), str(parsed.price_year)),
        (_("Kalkylränta (real)"), quantity_text(parsed.discount_rate, "share")),
        (
            _("Tidshorisont"),
            ngettext("%(years)s år", "%(years)s år", parsed.horizon_years) % {"years": parsed.horizon_years},
        ),
        (_("Dödvikt"), quantity_text(parsed.deadweight, "share")),
        (_("Avtagande effekt per år"), quantity_text(parsed.decay, "share")),
    ]
    if parsed.participants is not None:
        general.insert(0, (_("Deltagare"), number_format(parsed.participants, decimal_pos=0)))
    return {
        "scenario": scenario,
        "association": scenario.association,
        "parsed": parsed,
        "general": general,
        "investments": investments,
        "outcomes": outcomes,
        "kpi_rows": [(year, kpi.get(year)) for year in used_years],
        "pool_split": [(actor_label(actor), share(value)) for actor, value in parsed.pool_split],
        "results": results,
        "result_blocks": [
            {"title": _("Efter ett år"), "rows": [(row, row.first) for row in results.rows]},
            *(
                [{"title": _("Efter fem år"), "rows": [(row, row.five) for row in results.rows]}]
                if results.has_five_years
                else []
            ),
            {
                "title": _("Efter %(years)s år (hela tidshorisonten)") % {"years": parsed.horizon_years},
                "rows": [(row, row.horizon) for row in results.rows],
            },
        ],
        "cumulative_src": _svg_data_uri(str(results.cumulative_svg)),
        "tornado_src": _svg_data_uri(str(results.tornado_svg)) if results.tornado else "",
        "caveats": caveats(parsed),
        "made_on": timezone.localdate(),
    }


def report_html(scenario: Scenario, *, kpi_table: Any = None) -> str:
    return render_to_string("economics/scenario_pdf.html", report_context(scenario, kpi_table=kpi_table))


def report_pdf(scenario: Scenario, *, kpi_table: Any = None) -> bytes:
    return pdf_bytes(report_html(scenario, kpi_table=kpi_table))
