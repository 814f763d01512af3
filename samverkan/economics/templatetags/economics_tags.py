"""Template helpers of Samhällsekonomi: an uncertain number's four fields, and amounts the Swedish way."""

from __future__ import annotations

from typing import Any

from django import template

from ..charts import kronor as _kronor

register = template.Library()


@register.simple_tag
def uncertain(form: Any, name: str) -> dict[str, Any]:
    """The value field of an uncertain number with its distribution, lowest and highest fields."""
    parts = {
        "value": form[name],
        "dist": form[f"{name}__dist"],
        "low": form[f"{name}__low"],
        "high": form[f"{name}__high"],
    }
    errors = any(form[f"{name}__{p}"].errors for p in ("dist", "low", "high")) if form.is_bound else False
    parts["open"] = bool(parts["dist"].value()) or errors
    return parts


@register.filter
def kronor(value: Any) -> str:
    """Every krona with thin-space groups: 1 500 000 kr; "–" for nothing."""
    if value is None or value == "":
        return "–"
    return _kronor(float(value), short=False)


@register.filter
def ratio(value: Any) -> str:
    """A return (gain per krona invested) with two decimals and a decimal comma; "–" when there is no cost."""
    if value is None:
        return "–"
    return f"{float(value):.2f}".replace(".", ",").replace("-", "−")


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.0f} %"


@register.filter
def get_attribute(value: Any, name: str) -> Any:
    """One of an object's figures by the name the template has in a variable (`row|get_attribute:which`)."""
    return getattr(value, name, None)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def percent_decimal(value: Any) -> str:
    """A rate with its decimals: 0.035 → "3,5 %"."""
    if value is None:
        return "–"
    text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


@register.filter
def number(value: Any) -> str:
    """A plain number, Swedish style: 1 500 000, 0,2."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", "\u2009").replace("-", "−")
    return f"{number:.4g}".replace(".", ",").replace("-", "−")
