"""Typfall: typical participants ("3 personer går från försörjningsstöd till arbete") as outcome rows.

Each typfall is a move between income sources (the participant register's vocabulary,
interventions/vocabulary.py) and the outcome rows that move gives: a transfer that is no longer paid (a gain
to its payer, the same loss to the receiver, calc.py) and the value of the work or studies. Amounts come
from the price table when a unit cost's name matches, with its price year and source; otherwise the row
is left for the person to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OutcomeTemplate:
    name: Promise
    kind: str
    actor: str = ""
    payer: str = ""
    receiver: str = ""
    match: tuple[str, ...] = ()  # words of a unit cost's name that make it this row's price


@dataclass(frozen=True)
class Typfall:
    key: str
    label: Promise
    from_sources: tuple[str, ...]
    to_sources: tuple[str, ...]
    outcomes: tuple[OutcomeTemplate, ...]


PRODUCTION = OutcomeTemplate(
    _("Produktionsvärde av arbete"), "real", actor="samhallet", match=("produktionsvärde", "produktion")
)

TYPFALL: tuple[Typfall, ...] = (
    Typfall(
        "forsorjningsstod_arbete",
        _("Från försörjningsstöd till arbete"),
        ("forsorjningsstod",),
        ("lon",),
        (
            OutcomeTemplate(
                _("Försörjningsstöd som inte längre betalas ut"),
                "transfer",
                payer="kommun",
                receiver="individen",
                match=("försörjningsstöd", "ekonomiskt bistånd"),
            ),
            PRODUCTION,
        ),
    ),
    Typfall(
        "ersattning_arbete",
        _("Från sjuk- eller aktivitetsersättning till arbete"),
        ("sjukersattning", "aktivitetsersattning"),
        ("lon",),
        (
            OutcomeTemplate(
                _("Sjuk- eller aktivitetsersättning som inte längre betalas ut"),
                "transfer",
                payer="forsakringskassan",
                receiver="individen",
                match=("sjukersättning", "aktivitetsersättning"),
            ),
            PRODUCTION,
        ),
    ),
    Typfall(
        "sjukpenning_arbete",
        _("Från sjukpenning eller rehabiliteringspenning till arbete"),
        ("sjukpenning",),
        ("lon",),
        (
            OutcomeTemplate(
                _("Sjukpenning som inte längre betalas ut"),
                "transfer",
                payer="forsakringskassan",
                receiver="individen",
                match=("sjukpenning",),
            ),
            PRODUCTION,
        ),
    ),
    Typfall(
        "arbetsmarknadsstod_arbete",
        _("Från a-kassa eller aktivitetsstöd till arbete"),
        ("a_kassa", "aktivitetsstod"),
        ("lon",),
        (
            OutcomeTemplate(
                _("Arbetslöshetsersättning eller aktivitetsstöd som inte längre betalas ut"),
                "transfer",
                payer="staten",
                receiver="individen",
                match=("arbetslöshetsersättning", "a-kassa", "aktivitetsstöd"),
            ),
            PRODUCTION,
        ),
    ),
    Typfall(
        "forsorjningsstod_studier",
        _("Från försörjningsstöd till studier"),
        ("forsorjningsstod",),
        ("studiemedel",),
        (
            OutcomeTemplate(
                _("Försörjningsstöd som inte längre betalas ut"),
                "transfer",
                payer="kommun",
                receiver="individen",
                match=("försörjningsstöd", "ekonomiskt bistånd"),
            ),
        ),
    ),
)
TYPFALL_BY_KEY = {t.key: t for t in TYPFALL}
