"""The scenario's error messages under gettext, by ScenarioError code (issue 12).

The pure parser (scenario_format.py) carries the same Swedish texts as defaults; here they are
msgids, so the English catalogue translates them. A test keeps the two lists equal.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .actors import Actor
from .calc import Scenario, input_label_key
from .scenario_format import ScenarioError

MESSAGES: dict[str, Promise] = {
    "not_an_object": _("%(field)s måste vara ett objekt med fält."),
    "not_a_list": _("%(field)s måste vara en lista."),
    "required": _("%(field)s saknas."),
    "unknown_field": _("%(field)s är inget fält i scenarioformatet."),
    "not_a_number": _("%(field)s måste vara ett tal."),
    "not_an_integer": _("%(field)s måste vara ett heltal."),
    "not_a_text": _("%(field)s måste vara en text."),
    "empty_text": _("%(field)s får inte vara tomt."),
    "negative": _("%(field)s får inte vara negativt."),
    "too_large": _("%(field)s får vara högst %(max)s."),
    "out_of_range": _("%(field)s måste vara mellan %(min)s och %(max)s."),
    "rate_out_of_range": _("%(field)s måste vara minst 0 och mindre än 1."),
    "not_positive": _("%(field)s måste vara större än 0."),
    "year_after_horizon": _("%(field)s ligger efter tidshorisonten (år %(horizon)s)."),
    "end_before_start": _("%(field)s ligger före startåret."),
    "unknown_actor": _("%(field)s: okänd aktör ”%(value)s”."),
    "unknown_kind": _("%(field)s måste vara ”transfer” (omfördelning) eller ”real” (resurs)."),
    "unknown_distribution": _("%(field)s måste vara ”triangular” eller ”pert”."),
    "range_order": _("%(field)s: intervallet måste uppfylla lägsta ≤ troligast ≤ högsta."),
    "range_not_allowed": _("%(field)s kan inte vara ett intervall."),
    "same_payer_and_receiver": _("%(field)s: betalare och mottagare måste vara olika aktörer."),
    "kpi_missing": _("%(field)s: KPI saknas för år %(year)s."),
    "pool_split_sum": _("%(field)s: andelarna måste summera till 1."),
    "pool_split_actor": _("%(field)s: samordningsförbundet kan inte finansiera sig självt."),
    "too_many": _("%(field)s får ha högst %(max)s poster."),
    "too_much_work": _("%(field)s: för många dragningar för scenariots storlek (högst %(max)s)."),
    "invalid_json": _("Scenariot är inte giltig JSON (rad %(line)s, kolumn %(column)s)."),
    "too_big": _("Scenariot är för stort (högst %(max)s byte)."),
}


def scenario_error_message(error: ScenarioError) -> str:
    """The error as a sentence in the active language, naming the field."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    return str(template) % {**error.params, "field": error.field or gettext("Scenariot")}


# calc.INPUT_LABELS under gettext: the names of the tornado's inputs and of the items.
INPUT_LABELS: dict[str, Promise] = {
    "discount_rate": _("Diskonteringsränta"),
    "deadweight": _("Dödvikt"),
    "decay": _("Avtagande effekt per år"),
    "investment": _("Investering år %(year)s"),
    "investment_amount": _("Investering år %(year)s (%(actor)s)"),
    "outcome_amount_per_person_year": _("%(name)s: belopp per person och år"),
    "outcome_persons": _("%(name)s: antal personer"),
    "outcome_deadweight": _("%(name)s: dödvikt"),
    "outcome_decay": _("%(name)s: avtagande effekt per år"),
}


def input_label(scenario: Scenario, field: str) -> str:
    """The name of a scenario input (a tornado bar's `field`) or item in the active language."""
    key, params = input_label_key(scenario, field)
    if "actor" in params:
        params["actor"] = str(Actor(params["actor"]).label)
    return str(INPUT_LABELS[key]) % params
