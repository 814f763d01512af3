"""Writes for instruments (questionnaires): create, copy, add a local item (a frozen version gets a new one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max as models_max
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association

from .models import Instrument, Item
from .validation import text_errors as _text_errors


def _copy_items(*, source: Instrument, target: Instrument) -> None:
    Item.objects.bulk_create(
        Item(
            instrument=target,
            position=item.position,
            code=item.code,
            kind=item.kind,
            section=item.section,
            text=item.text,
            level=item.level,
            is_target=item.is_target,
            hallmark=item.hallmark,
            options=item.options,
            benchmark_key=item.benchmark_key,
            is_local=item.is_local,
        )
        for item in source.items.all()
    )


def _instrument_name_errors(association: Association, name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "name", name)
    taken = Instrument.objects.available_to(association).filter(name=name)
    if "name" not in errors and taken.exists():
        errors["name"] = [_("Det finns redan en enkät med det namnet.")]
    return errors


def _instrument_named(association: Association, name: str, **fields: Any) -> Instrument:
    """A new instrument of the association; ServiceError (on `name`) when the name is taken or unusable."""
    name = name.strip()
    errors = _instrument_name_errors(association, name)
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            return Instrument.objects.create(association=association, name=name, **fields)
    except IntegrityError:  # instrument_version_unique: the same name saved a moment ago
        raise ServiceError({"name": _("Det finns redan en enkät med det namnet.")}) from None


@transaction.atomic
def instrument_create(*, association: Association, name: str, kind: str) -> Instrument:
    return _instrument_named(association, name, kind=kind)


@transaction.atomic
def instrument_copy(*, association: Association, source: Instrument, name: str) -> Instrument:
    """The association's own copy; core items keep their locked wording and stay comparable."""
    copy = _instrument_named(association, name, kind=source.kind, intro=source.intro, based_on=source)
    _copy_items(source=source, target=copy)
    return copy


@transaction.atomic
def item_add(*, instrument: Instrument, kind: str, text: str, options: Sequence[str] = ()) -> tuple[Instrument, Item]:
    """Add a local item. A frozen version (used by a campaign) is never changed: a new version is made."""
    if instrument.association_id is None:
        raise ValueError("core instruments are locked; copy one first")
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "text", text)
    for option in options:
        _text_errors(errors, "options", option)
    if errors:
        raise ServiceError(errors)
    if instrument.frozen:
        latest = Instrument.objects.filter(association=instrument.association, name=instrument.name).order_by(
            "-version"
        )[0]
        new = Instrument.objects.create(
            association=instrument.association,
            name=instrument.name,
            version=latest.version + 1,
            kind=instrument.kind,
            intro=instrument.intro,
            based_on=instrument,
        )
        _copy_items(source=instrument, target=new)
        instrument = new
    position = (instrument.items.aggregate(m=models_max("position"))["m"] or 0) + 1
    local_count = instrument.items.filter(is_local=True).count()
    item = Item.objects.create(
        instrument=instrument,
        position=position,
        code=f"egen_{local_count + 1}",
        kind=kind,
        section=_("Egna frågor"),
        text=text,
        options=list(options),
        is_local=True,
        benchmark_key="",  # local items are never benchmarked
    )
    return instrument, item
