"""Rows for the builder from the association's own records: the price table, typfall, an intervention.

Reads only (selectors). An intervention's figures reach a scenario through the same doors its own pages use:
the financing rows (money per year and financier) and the outcome tables of one year under their one
suppression (interventions/participant_selectors.outcome_page). A count the outcome page hides (a group
below the association's minimum group size, or hidden so that it cannot be recovered by subtraction) is never
copied: the row is added without a number and marked "för få för att visas", for the person to estimate.
Only one year's table is used, never a sum over years: a total over several years next to the published
yearly tables could give a hidden cell away by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from samverkan.tenancy.models import AgencyKind, Association

from .actors import Actor
from .typfall import OutcomeTemplate, Typfall

AGENCY_ACTOR = {
    AgencyKind.FK: Actor.FORSAKRINGSKASSAN,
    AgencyKind.AF: Actor.ARBETSFORMEDLINGEN,
    AgencyKind.REGION: Actor.REGION,
    AgencyKind.MUNICIPALITY: Actor.KOMMUN,
}
# Units a price can be turned into an amount per person and year from without guessing a number of days.
YEARLY_FACTOR = {"per_year": 1, "per_fye": 1, "per_person": 1, "per_month": 12}


@dataclass
class Fill:
    """What a fill adds: rows (as the forms' raw values), messages for the person, changed basics."""

    investments: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    basics: dict[str, Any] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)  # typfall labels whose count is too small to show


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def price_choices(association: Association) -> list[Any]:
    """The unit costs the association may use (its own first, then the shared examples)."""
    try:
        from .selectors_prices import unit_costs_for
    except ImportError:  # the price table is its own part; without it the builder offers none
        return []
    return list(unit_costs_for(association))


def price_row(unit_cost: Any, *, persons: str = "") -> tuple[dict[str, Any], str | None]:
    """An outcome row copied from a unit cost: amount, price year, actor or payer and receiver, and source."""
    factor = YEARLY_FACTOR.get(str(unit_cost.unit))
    amount = Decimal(str(unit_cost.amount)) * (factor or 1)
    source = unit_cost.source_text
    if getattr(unit_cost, "source_url", ""):
        source = f"{source} ({unit_cost.source_url})"
    if getattr(unit_cost, "is_example", False):
        source = _("Exempel: %(source)s") % {"source": source}
    row: dict[str, Any] = {
        "name": unit_cost.item,
        "kind": unit_cost.kind,
        "amount_per_person_year": _text(amount),
        "price_year": _text(unit_cost.price_year),
        "persons": persons,
        "source": source[:500],
    }
    if unit_cost.kind == "transfer":
        row.update({"payer": unit_cost.payer, "receiver": unit_cost.receiver})
    else:
        row["actor"] = unit_cost.actor
    warning = None
    if factor is None:
        warning = _(
            "”%(item)s” har enheten %(unit)s: beloppet är kopierat som det är, räkna om det till per person och år."
        ) % {"item": unit_cost.item, "unit": unit_cost.get_unit_display()}
    elif factor != 1:
        warning = _("”%(item)s” gäller per månad: beloppet är multiplicerat med 12.") % {"item": unit_cost.item}
    return row, warning


def _matching_price(template: OutcomeTemplate, prices: list[Any]) -> Any:
    for unit_cost in prices:
        if unit_cost.kind != template.kind or str(unit_cost.unit) not in YEARLY_FACTOR:
            continue
        if template.kind == "transfer" and unit_cost.payer != template.payer:
            continue
        if template.kind == "real" and unit_cost.actor != template.actor:
            continue
        name = unit_cost.item.casefold()
        if any(word in name for word in template.match):
            return unit_cost
    return None


def typfall_rows(typfall: Typfall, *, persons: str, prices: list[Any], ref: dict[str, Any] | None = None) -> Fill:
    """The typfall's outcome rows for `persons` people (blank: to be filled in), priced from the table."""
    fill = Fill()
    for template in typfall.outcomes:
        unit_cost = _matching_price(template, prices)
        if unit_cost is not None:
            row, warning = price_row(unit_cost, persons=persons)
            if warning:
                fill.messages.append(warning)
        else:
            row = {"amount_per_person_year": "", "price_year": "", "source": "", "persons": persons}
            fill.messages.append(
                _("Inget à-pris i pristabellen passar ”%(name)s”: fyll i belopp och källa.") % {"name": template.name}
            )
        row.update(
            {
                "name": f"{typfall.label}: {template.name}",
                "kind": template.kind,
                "actor": template.actor,
                "payer": template.payer,
                "receiver": template.receiver,
            }
        )
        if ref:
            row["extra"] = {"ref": ref}
        fill.outcomes.append(row)
    return fill


def financing_rows(intervention: Any) -> list[dict[str, Any]]:
    """The intervention's money per year and financier as investment rows (year 1 = the start year)."""
    from samverkan.interventions.models import FinancierKind

    rows = []
    start = intervention.start.year
    for financing in intervention.financing.select_related("agency").order_by("year", "financier_kind", "pk"):
        if financing.financier_kind == FinancierKind.POOLED:
            actor = Actor.SAMORDNINGSFORBUND
        elif financing.financier_kind == FinancierKind.AGENCY and financing.agency is not None:
            actor = AGENCY_ACTOR.get(financing.agency.kind, Actor.STATEN)
        else:
            # An external financier (ESF and the like) is public money from outside the members: the state.
            actor = Actor.STATEN
        rows.append(
            {
                "actor": str(actor),
                "year": str(financing.year - start + 1),
                "amount": _text(financing.amount),
                "price_year": str(financing.year),
                "description": financing.financier_label[:300],
                "source": _("Insatsens finansiering %(year)s") % {"year": financing.year},
            }
        )
    return [r for r in rows if int(r["year"]) >= 1]


def transition_count(tables: Any, typfall: Typfall) -> tuple[int | None, bool]:
    """(persons, shown) for the typfall's move in the outcome tables: None and False when any cell is hidden."""
    grid = tables.transition
    if tables.withheld or grid is None:
        return None, False
    total = 0
    for start in typfall.from_sources:
        for end in typfall.to_sources:
            value = grid.cells.get((start, end))
            if value is None:
                return None, False
            total += value
    return total, True


def intervention_fill(intervention: Any, year: int | None, *, prices: list[Any]) -> Fill:
    """Investments from the financing; outcome rows per typfall with persons from `year`'s suppressed table."""
    from samverkan.interventions.participant_selectors import outcome_page

    from .typfall import TYPFALL

    fill = Fill(investments=financing_rows(intervention))
    if fill.investments:
        last = max(int(r["year"]) for r in fill.investments)
        fill.basics["horizon_years"] = last
    else:
        fill.messages.append(_("Insatsen har ingen finansiering registrerad: lägg in investeringarna själv."))
    fill.basics["intervention"] = str(intervention.pk)
    if year is None:
        fill.messages.append(_("Insatsen har inga avslutade deltagare ännu: inga utfall att hämta."))
        return fill
    tables = outcome_page(intervention, year)
    if tables.withheld:
        fill.messages.append(
            _("Utfallen %(year)s är för få för att visas (färre än %(min)s deltagare): skriv in en uppskattning.")
            % {"year": year, "min": tables.min_size}
        )
        return fill
    # The page's total is not copied as "participants": a row without its own count would silently use it.
    ref = {"intervention": intervention.pk, "year": year}
    for typfall in TYPFALL:
        persons, shown = transition_count(tables, typfall)
        if shown and not persons:
            continue
        rows = typfall_rows(
            typfall, persons=str(persons) if shown else "", prices=prices, ref=ref | {"typfall": typfall.key}
        )
        if not shown:
            fill.hidden.append(str(typfall.label))
        fill.outcomes += rows.outcomes
        fill.messages += [m for m in rows.messages if m not in fill.messages]
    if fill.hidden:
        fill.messages.append(
            _("För få för att visas: %(moves)s. Raderna är tillagda utan antal personer; skriv in en uppskattning.")
            % {"moves": ", ".join(fill.hidden)}
        )
    return fill


def intervention_choices(association: Association) -> list[tuple[str, str]]:
    """Every intervention with each year it has ended participations, as "id:year" options for the fill."""
    from samverkan.interventions.models import Intervention
    from samverkan.interventions.participant_selectors import outcome_years

    options: list[tuple[str, str]] = []
    for intervention in Intervention.objects.for_association(association).order_by("name"):
        years = outcome_years(intervention)
        for year in years:
            options.append(
                (
                    f"{intervention.pk}:{year}",
                    _("%(name)s, utfall %(year)s") % {"name": intervention.name, "year": year},
                )
            )
        if not years:
            options.append((f"{intervention.pk}:", _("%(name)s (bara finansiering)") % {"name": intervention.name}))
    return options
