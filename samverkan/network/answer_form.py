"""The network form's fields: one block per other agency, its names, and reading what was posted.

Field names are `<target agency id>-<item>`. Contact, depth and "jag vet vem jag ska ringa" are needed
for every agency; the trust items and the contribution may be left as "vet ej" (empty).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Depth, Frequency

TRUST_ITEMS = (
    ("reliability", gettext_lazy("De är pålitliga: de gör det de lovar.")),
    ("mission", gettext_lazy("De stöder vårt gemensamma uppdrag.")),
    ("openness", gettext_lazy("De är öppna för att diskutera och pröva nya sätt.")),
)
TRUST_SCALE = (
    (1, gettext_lazy("Inte alls")),
    (2, gettext_lazy("Lite")),
    (3, gettext_lazy("Ganska mycket")),
    (4, gettext_lazy("Mycket")),
)
VALUE_SCALE = (
    (1, gettext_lazy("Litet")),
    (2, gettext_lazy("Visst")),
    (3, gettext_lazy("Stort")),
    (4, gettext_lazy("Mycket stort")),
)
# One line per level of the Levels of Collaboration scale (Frey et al. 2006), in plain Swedish.
DEPTH_EXPLANATIONS = {
    Depth.NONE: gettext_lazy("Vi har ingen kontakt i arbetet."),
    Depth.NETWORKING: gettext_lazy("Vi känner till varandra och utbyter ibland information; inga gemensamma beslut."),
    Depth.COOPERATION: gettext_lazy(
        "Vi informerar varandra, hänvisar och stöttar varandras arbete, men var och en bestämmer själv."
    ),
    Depth.COORDINATION: gettext_lazy("Vi planerar delar av arbetet tillsammans och delar information och resurser."),
    Depth.COALITION: gettext_lazy("Vi delar idéer och resurser och fattar vissa beslut tillsammans."),
    Depth.INTEGRATED: gettext_lazy(
        "Vi arbetar som en enhet med gemensamma mål, resurser och beslut, som en del av vardagen."
    ),
}


@dataclass(frozen=True)
class AnswerRow:
    target: int
    frequency: int
    depth: int
    trust_reliability: int | None
    trust_mission: int | None
    trust_openness: int | None
    value: int | None
    knows_whom_to_call: bool


def field(target: int, item: str) -> str:
    return f"{target}-{item}"


def _choice(raw: Any, allowed: Sequence[int]) -> int | str | None:
    """The integer if allowed, None when empty, "bad" otherwise."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        return "bad"
    return value if value in allowed else "bad"


def parse_answers(targets: Sequence[int], raw: Mapping[str, Any]) -> tuple[list[AnswerRow], dict[str, str]]:
    """Rows per target agency, or errors by field name (Swedish, for the respondent)."""
    rows: list[AnswerRow] = []
    errors: dict[str, str] = {}
    frequencies = [value for value, _label in Frequency.choices]
    depths = [value for value, _label in Depth.choices]
    scale = [1, 2, 3, 4]
    for target in targets:
        values: dict[str, Any] = {}
        for item, allowed, required, message in (
            ("frequency", frequencies, True, _("Välj hur ofta ni har kontakt.")),
            ("depth", depths, True, _("Välj en samverkansnivå (0–5).")),
            ("reliability", scale, False, _("Välj 1–4 eller vet ej.")),
            ("mission", scale, False, _("Välj 1–4 eller vet ej.")),
            ("openness", scale, False, _("Välj 1–4 eller vet ej.")),
            ("value", scale, False, _("Välj 1–4 eller vet ej.")),
        ):
            value = _choice(raw.get(field(target, item)), allowed)
            if value == "bad" or (required and value is None):
                errors[field(target, item)] = message
            values[item] = value
        knows = str(raw.get(field(target, "knows"), "")).strip()
        if knows not in ("ja", "nej"):
            errors[field(target, "knows")] = _("Svara ja eller nej.")
        if any(key.startswith(f"{target}-") for key in errors):
            continue
        rows.append(
            AnswerRow(
                target=target,
                frequency=values["frequency"],
                depth=values["depth"],
                trust_reliability=values["reliability"],
                trust_mission=values["mission"],
                trust_openness=values["openness"],
                value=values["value"],
                knows_whom_to_call=knows == "ja",
            )
        )
    return rows, errors


def blocks(targets: Sequence[Any], values: Mapping[str, Any], errors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The form as one block per target agency, with what was typed and any error, for the template."""

    def question(target: int, item: str, options: Sequence[tuple[Any, Any]]) -> dict[str, Any]:
        name = field(target, item)
        return {
            "name": name,
            "value": str(values.get(name, "") or ""),
            "error": errors.get(name),
            "options": [{"value": str(v), "label": label} for v, label in options],
        }

    result = []
    for agency in targets:
        depth = question(agency.pk, "depth", Depth.choices)
        for option in depth["options"]:
            option["help"] = DEPTH_EXPLANATIONS[Depth(int(option["value"]))]
        result.append(
            {
                "agency": agency,
                "frequency": question(agency.pk, "frequency", Frequency.choices),
                "depth": depth,
                "trust": [{**question(agency.pk, item, TRUST_SCALE), "text": text} for item, text in TRUST_ITEMS],
                "value": question(agency.pk, "value", VALUE_SCALE),
                "knows": question(agency.pk, "knows", (("ja", _("Ja")), ("nej", _("Nej")))),
                "has_error": any(key.startswith(f"{agency.pk}-") for key in errors),
            }
        )
    return result
