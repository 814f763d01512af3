"""The scenario builder's forms: they build the same documented object the JSON upload holds.

`scenario_initial(data)` turns a scenario object into the forms' initial values and `scenario_from_forms(...)`
turns valid forms back into the object, so object → forms → object is the identity (tests pin it).
Rates and shares are typed in per cent; amounts in kronor. Any number the calculation lets be uncertain
(`UNCERTAIN`) has a value (the most likely, "mode") and, optionally, a distribution with a lowest and a
highest value. Fields the builder has no input for (an outcome's own deadweight, a `ref`, the scenario's own
KPI table) are carried along untouched in a hidden `extra` field, so the builder never loses what an upload
held.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .actors import Actor

DISTRIBUTION_CHOICES = [
    ("", _("Fast värde")),
    ("triangular", _("Triangelfördelning")),
    ("pert", _("PERT-fördelning")),
]
KIND_CHOICES = [
    ("", _("Välj …")),
    ("real", _("Real resurs (t.ex. produktion, vård)")),
    ("transfer", _("Transferering (t.ex. ersättning, skatt)")),
]
ACTOR_CHOICES = [("", "–"), *Actor.choices]
RESULT_ACTOR_CHOICES = [("", "–"), *[(v, label) for v, label in Actor.choices if v != Actor.SAMORDNINGSFORBUND]]
POOL_ACTORS = (Actor.FORSAKRINGSKASSAN, Actor.REGION, Actor.KOMMUN)
PERCENT = Decimal(100)

BASIC_KEYS = (
    "name",
    "description",
    "price_year",
    "discount_rate",
    "horizon_years",
    "participants",
    "deadweight",
    "decay",
    "draws",
    "seed",
    "pool_split",
    "investments",
    "outcomes",
)
INVESTMENT_KEYS = ("actor", "year", "amount", "price_year", "description", "source")
OUTCOME_KEYS = (
    "name",
    "kind",
    "actor",
    "payer",
    "receiver",
    "amount_per_person_year",
    "price_year",
    "persons",
    "start_year",
    "end_year",
    "source",
)


def _number_out(value: Decimal | None, percent: bool) -> float | int | None:
    """A typed number as the JSON object holds it: per cent as a fraction, whole numbers as ints."""
    if value is None:
        return None
    if percent:
        value = value / PERCENT
    value = value.normalize()
    if value == value.to_integral_value() and not percent:
        return int(value)
    return float(value)


def _number_in(value: Any, percent: bool) -> str:
    """A JSON number as the field shows it (per cent for rates), without float noise (0.035 → "3.5")."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = Decimal(str(value))
    if percent:
        number = number * PERCENT
    text = format(number.normalize(), "f")
    return text


class NumberField(forms.DecimalField):
    """A number typed the Swedish way or the JSON way: "1 500 000", "3,5" and "3.5" all work, in any language."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            text = value.strip().replace("\u00a0", "").replace("\u2009", "").replace(" ", "").replace("−", "-")
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            value = text
        return super().to_python(value)


class UncertainMixin:
    """Adds, for each name in `uncertain`, a value field and its range: `<name>__dist`, `__low`, `__high`."""

    uncertain: Mapping[str, tuple[Any, bool, bool]] = {}  # name → (label, per cent, required)
    fields: dict[str, forms.Field]

    def _add_uncertain(self) -> None:
        for name, (label, _percent, required) in self.uncertain.items():
            attrs = {"inputmode": "decimal"}
            self.fields[name] = NumberField(label=label, required=required, widget=forms.TextInput(attrs=attrs))
            self.fields[f"{name}__dist"] = forms.ChoiceField(
                label=_("Osäkerhet"), choices=DISTRIBUTION_CHOICES, required=False
            )
            self.fields[f"{name}__low"] = NumberField(
                label=_("Lägsta"), required=False, widget=forms.TextInput(attrs=attrs)
            )
            self.fields[f"{name}__high"] = NumberField(
                label=_("Högsta"), required=False, widget=forms.TextInput(attrs=attrs)
            )

    def _clean_uncertain(self, cleaned: dict[str, Any]) -> None:
        add_error = self.add_error  # type: ignore[attr-defined]
        for name, (_label, _percent, _required) in self.uncertain.items():
            if not cleaned.get(f"{name}__dist"):
                continue
            for bound in ("low", "high"):
                if cleaned.get(f"{name}__{bound}") is None and f"{name}__{bound}" not in self._errors:  # type: ignore[attr-defined]
                    add_error(f"{name}__{bound}", _("Ange lägsta och högsta värde för ett intervall."))
            if cleaned.get(name) is None and name not in self._errors:  # type: ignore[attr-defined]
                add_error(name, _("Ange det troligaste värdet."))

    def quantity(self, name: str) -> Any:
        """The value as the object holds it: a number, or {"distribution", "low", "mode", "high"}."""
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        percent = self.uncertain[name][1]
        mode = _number_out(cleaned.get(name), percent)
        distribution = cleaned.get(f"{name}__dist")
        if not distribution:
            return mode
        return {
            "distribution": distribution,
            "low": _number_out(cleaned.get(f"{name}__low"), percent),
            "mode": mode,
            "high": _number_out(cleaned.get(f"{name}__high"), percent),
        }

    @classmethod
    def uncertain_initial(cls, name: str, value: Any) -> dict[str, str]:
        percent = cls.uncertain[name][1]
        if isinstance(value, Mapping):
            return {
                name: _number_in(value.get("mode"), percent),
                f"{name}__dist": str(value.get("distribution", "")),
                f"{name}__low": _number_in(value.get("low"), percent),
                f"{name}__high": _number_in(value.get("high"), percent),
            }
        return {name: _number_in(value, percent)}


class ExtraField(forms.CharField):
    """The object's keys the builder has no input for, as JSON in a hidden field (kept as they came)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> dict[str, Any]:
        text = super().clean(value)
        if not text:
            return {}
        try:
            loaded = json.loads(text)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}


def _extra_of(data: Mapping[str, Any], known: Sequence[str]) -> str:
    extra = {k: v for k, v in data.items() if k not in known}
    return json.dumps(extra, ensure_ascii=False) if extra else ""


class BasicsForm(UncertainMixin, forms.Form):
    uncertain = {
        "discount_rate": (_("Diskonteringsränta (%)"), True, True),
        "deadweight": (_("Dödvikt (%)"), True, False),
        "decay": (_("Avtagande effekt per år (%)"), True, False),
    }

    name = forms.CharField(label=_("Scenariots namn"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    price_year = forms.IntegerField(label=_("Prisår"), min_value=1900, max_value=2200)
    horizon_years = forms.IntegerField(label=_("Tidshorisont (år)"), min_value=1, max_value=50)
    participants = NumberField(
        label=_("Deltagare"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Antal personer när ett utfall inte anger sitt eget antal."),
    )
    draws = forms.IntegerField(label=_("Dragningar (Monte Carlo)"), min_value=1, max_value=200_000)
    seed = forms.IntegerField(label=_("Slumpfrö"), min_value=0, max_value=2**32 - 1)
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    intervention = forms.TypedChoiceField(label=_("Insats"), required=False, coerce=int, empty_value=None)
    extra = ExtraField()

    def __init__(
        self, *args: Any, interventions: Sequence[tuple[int, str]] = (), pool_actors: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._add_uncertain()
        self.fields["intervention"].choices = [("", _("Ingen"))] + [(pk, name) for pk, name in interventions]  # type: ignore[attr-defined]
        self.pool_actors = list(POOL_ACTORS) + [a for a in pool_actors if a not in POOL_ACTORS]
        for actor in self.pool_actors:
            self.fields[f"pool_{actor}"] = NumberField(
                label=Actor(actor).label,
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        # The order the page shows them in.
        self.order_fields(
            [
                "name",
                "intervention",
                "price_year",
                "horizon_years",
                "discount_rate",
                "participants",
                "deadweight",
                "decay",
                "draws",
                "seed",
                "description",
                "notes",
            ]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_uncertain(cleaned)
        return cleaned

    def pool_fields(self) -> list[forms.BoundField]:
        return [self[f"pool_{a}"] for a in self.pool_actors]

    def to_object(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = dict(c.get("extra") or {})
        data["name"] = c["name"]
        if c.get("description"):
            data["description"] = c["description"]
        data["price_year"] = c["price_year"]
        data["discount_rate"] = self.quantity("discount_rate")
        data["horizon_years"] = c["horizon_years"]
        if c.get("participants") is not None:
            data["participants"] = _number_out(c["participants"], False)
        split = {a: _number_out(c.get(f"pool_{a}"), True) for a in self.pool_actors if c.get(f"pool_{a}") is not None}
        if split:
            data["pool_split"] = split
        for name in ("deadweight", "decay"):
            value = self.quantity(name)
            if value is not None:
                data[name] = value
        data["draws"] = c["draws"]
        data["seed"] = c["seed"]
        return data


class InvestmentForm(UncertainMixin, forms.Form):
    uncertain = {"amount": (_("Belopp (kr)"), False, True)}

    actor = forms.ChoiceField(label=_("Vem investerar"), choices=ACTOR_CHOICES)
    year = forms.IntegerField(label=_("År"), min_value=1, max_value=50, help_text=_("1 = första året"))
    price_year = forms.IntegerField(label=_("Prisår"), min_value=1900, max_value=2200, required=False)
    description = forms.CharField(label=_("Avser"), required=False, max_length=300)
    source = forms.CharField(label=_("Källa"), required=False, max_length=500)
    extra = ExtraField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_uncertain()
        self.order_fields(["actor", "year", "amount", "price_year", "description", "source"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_uncertain(cleaned)
        return cleaned

    def to_object(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = dict(c.get("extra") or {})
        data.update({"actor": c["actor"], "year": c["year"], "amount": self.quantity("amount")})
        if c.get("price_year"):
            data["price_year"] = c["price_year"]
        for key in ("description", "source"):
            if c.get(key):
                data[key] = c[key]
        return data


class OutcomeForm(UncertainMixin, forms.Form):
    uncertain = {
        "amount_per_person_year": (_("Belopp per person och år (kr)"), False, True),
        "persons": (_("Antal personer"), False, False),
    }

    name = forms.CharField(label=_("Utfall"), max_length=200)
    kind = forms.ChoiceField(label=_("Slag"), choices=KIND_CHOICES)
    actor = forms.ChoiceField(label=_("Vem vinner (real resurs)"), choices=RESULT_ACTOR_CHOICES, required=False)
    payer = forms.ChoiceField(label=_("Betalare (transferering)"), choices=RESULT_ACTOR_CHOICES, required=False)
    receiver = forms.ChoiceField(label=_("Mottagare (transferering)"), choices=RESULT_ACTOR_CHOICES, required=False)
    price_year = forms.IntegerField(label=_("Prisår"), min_value=1900, max_value=2200, required=False)
    start_year = forms.IntegerField(label=_("Från år"), min_value=1, max_value=50, required=False)
    end_year = forms.IntegerField(label=_("Till och med år"), min_value=1, max_value=50, required=False)
    source = forms.CharField(label=_("Källa"), required=False, max_length=500)
    extra = ExtraField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_uncertain()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_uncertain(cleaned)
        kind = cleaned.get("kind")
        if kind == "real" and not cleaned.get("actor"):
            self.add_error("actor", _("Välj vilken aktör som får intäkten."))
        if kind == "transfer":
            for key, message in (
                ("payer", _("Välj vem som betalar.")),
                ("receiver", _("Välj vem som tar emot.")),
            ):
                if not cleaned.get(key):
                    self.add_error(key, message)
        return cleaned

    def to_object(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = dict(c.get("extra") or {})
        data["name"] = c["name"]
        data["kind"] = c["kind"]
        if c["kind"] == "real":
            data["actor"] = c["actor"]
        else:
            data["payer"] = c["payer"]
            data["receiver"] = c["receiver"]
        data["amount_per_person_year"] = self.quantity("amount_per_person_year")
        for key in ("price_year",):
            if c.get(key):
                data[key] = c[key]
        persons = self.quantity("persons")
        if persons is not None:
            data["persons"] = persons
        for key in ("start_year", "end_year"):
            if c.get(key):
                data[key] = c[key]
        if c.get("source"):
            data["source"] = c["source"]
        return data


class BaseRowFormSet(forms.BaseFormSet):
    """Rows typed on the page; a row left completely empty is ignored, one marked "ta bort" is dropped."""

    def initial_form_count(self) -> int:
        # Posted rows are all "extra": one left completely empty is skipped instead of refused.
        return 0 if self.is_bound else super().initial_form_count()

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(form index, object) of each kept row, in page order."""
        out = []
        for index, form in enumerate(self.forms):
            if not form.has_changed():
                continue
            out.append((index, form.to_object()))
        return out


InvestmentFormSet = forms.formset_factory(
    InvestmentForm, formset=BaseRowFormSet, extra=0, can_delete=False, max_num=500, absolute_max=500
)
OutcomeFormSet = forms.formset_factory(
    OutcomeForm, formset=BaseRowFormSet, extra=0, can_delete=False, max_num=500, absolute_max=500
)


def investment_initial(item: Mapping[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {k: item.get(k, "") for k in ("actor", "year", "price_year", "description", "source")}
    initial.update(InvestmentForm.uncertain_initial("amount", item.get("amount")))
    initial["extra"] = _extra_of(item, INVESTMENT_KEYS)
    return initial


def outcome_initial(item: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("name", "kind", "actor", "payer", "receiver", "price_year", "start_year", "end_year", "source")
    initial: dict[str, Any] = {k: item.get(k, "") for k in keys}
    initial.update(OutcomeForm.uncertain_initial("amount_per_person_year", item.get("amount_per_person_year")))
    if "persons" in item:
        initial.update(OutcomeForm.uncertain_initial("persons", item.get("persons")))
    initial["extra"] = _extra_of(item, OUTCOME_KEYS)
    return initial


def basics_initial(data: Mapping[str, Any], *, notes: str = "", intervention: int | None = None) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": data.get("name", ""),
        "description": data.get("description", ""),
        "price_year": data.get("price_year", ""),
        "horizon_years": data.get("horizon_years", ""),
        "participants": _number_in(data.get("participants"), False),
        "draws": data.get("draws", ""),
        "seed": data.get("seed", ""),
        "notes": notes,
        "intervention": intervention or "",
    }
    for name in ("discount_rate", "deadweight", "decay"):
        if name in data:
            initial.update(BasicsForm.uncertain_initial(name, data[name]))
    split = data.get("pool_split")
    if isinstance(split, Mapping):
        for actor, share in split.items():
            initial[f"pool_{actor}"] = _number_in(share, True)
    initial["extra"] = _extra_of(data, BASIC_KEYS)
    return initial


def scenario_initial(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The forms' initial values for a scenario object: basics, investment rows, outcome rows."""
    investments = data.get("investments") or []
    outcomes = data.get("outcomes") or []
    return (
        basics_initial(data),
        [investment_initial(i) for i in investments if isinstance(i, Mapping)],
        [outcome_initial(o) for o in outcomes if isinstance(o, Mapping)],
    )


def pool_actors_of(data: Mapping[str, Any]) -> list[str]:
    split = data.get("pool_split")
    if not isinstance(split, Mapping):
        return []
    return [a for a in split if a in Actor.values]
