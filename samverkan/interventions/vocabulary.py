"""The participant vocabulary: the closed lists a participant's record is written in.

One place for the model's choices, the import's parsing (the participant import reads a
value as its code or its Swedish label, see `parse_choice`) and the outcome tables'
grouping of income sources (`INCOME_GROUP_OF`). The lists follow issue 11 and PRODUCT.md
(`IncomeSource`) and the national follow-up system for Finsam.

Codes are stored; labels are what people read. Never renumber or rename a code: stored
records and import files use them.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    KVINNA = "kvinna", _("kvinna")
    MAN = "man", _("man")
    ANNAT = "annat", _("annat")
    UPPGIFT_SAKNAS = "uppgift_saknas", _("uppgift saknas")


class AgeBand(models.TextChoices):
    A16_19 = "16-19", "16–19"
    A20_24 = "20-24", "20–24"
    A25_29 = "25-29", "25–29"
    A30_39 = "30-39", "30–39"
    A40_49 = "40-49", "40–49"
    A50_64 = "50-64", "50–64"


class Education(models.TextChoices):
    FORGYMNASIAL = "forgymnasial", _("förgymnasial")
    GYMNASIAL = "gymnasial", _("gymnasial")
    EFTERGYMNASIAL = "eftergymnasial", _("eftergymnasial")
    OKAND = "okand", _("okänd")


class EndReason(models.TextChoices):
    ARBETE = "arbete", _("arbete")
    STUDIER = "studier", _("studier")
    ARBETSSOKANDE = "arbetssokande", _("arbetssökande")
    ANNAN_INSATS = "annan_insats", _("annan insats")
    SJUKDOM = "sjukdom", _("sjukdom")
    FLYTT = "flytt", _("flytt")
    AVBROTT = "avbrott", _("avbrott")
    ANNAT = "annat", _("annat")


class IncomeSource(models.TextChoices):
    """Försörjningskälla (PRODUCT.md's `IncomeSource`), in the order the tables show them."""

    SJUKPENNING = "sjukpenning", _("sjukpenning/rehabiliteringspenning")
    AKTIVITETSERSATTNING = "aktivitetsersattning", _("aktivitetsersättning")
    SJUKERSATTNING = "sjukersattning", _("sjukersättning")
    A_KASSA = "a_kassa", _("a-kassa")
    AKTIVITETSSTOD = "aktivitetsstod", _("aktivitetsstöd/utvecklingsersättning")
    ETABLERINGSERSATTNING = "etableringsersattning", _("etableringsersättning")
    FORSORJNINGSSTOD = "forsorjningsstod", _("försörjningsstöd (ekonomiskt bistånd)")
    LON = "lon", _("lön/anställning")
    STUDIEMEDEL = "studiemedel", _("studiemedel")
    INGEN_ERSATTNING = "ingen_ersattning", _("ingen ersättning")
    ANNAN = "annan", _("annan")
    OKAND = "okand", _("okänd")


class IncomeGroup(models.TextChoices):
    """The income sources grouped as PRODUCT.md says, plus one group for what fits none of them."""

    OHALSA = "ohalsa", _("ohälsa")
    ARBETSMARKNADSSTOD = "arbetsmarknadsstod", _("arbetsmarknadsstöd")
    EKONOMISKT_BISTAND = "ekonomiskt_bistand", _("ekonomiskt bistånd")
    EGEN_FORSORJNING = "egen_forsorjning", _("egen försörjning")
    # "ingen ersättning", "annan" and "okänd" belong to none of the four: counting them as egen försörjning
    # would flatter every intervention's outcome.
    OVRIGT = "ovrigt", _("övrigt eller okänt")


INCOME_GROUP_OF: dict[str, str] = {
    IncomeSource.SJUKPENNING: IncomeGroup.OHALSA,
    IncomeSource.AKTIVITETSERSATTNING: IncomeGroup.OHALSA,
    IncomeSource.SJUKERSATTNING: IncomeGroup.OHALSA,
    IncomeSource.A_KASSA: IncomeGroup.ARBETSMARKNADSSTOD,
    IncomeSource.AKTIVITETSSTOD: IncomeGroup.ARBETSMARKNADSSTOD,
    IncomeSource.ETABLERINGSERSATTNING: IncomeGroup.ARBETSMARKNADSSTOD,
    IncomeSource.FORSORJNINGSSTOD: IncomeGroup.EKONOMISKT_BISTAND,
    IncomeSource.LON: IncomeGroup.EGEN_FORSORJNING,
    IncomeSource.STUDIEMEDEL: IncomeGroup.EGEN_FORSORJNING,
    IncomeSource.INGEN_ERSATTNING: IncomeGroup.OVRIGT,
    IncomeSource.ANNAN: IncomeGroup.OVRIGT,
    IncomeSource.OKAND: IncomeGroup.OVRIGT,
}

# "I arbete eller studier": supported by a wage or by student finance (the outcome tables' share).
WORK_OR_STUDIES: frozenset[str] = frozenset({IncomeSource.LON, IncomeSource.STUDIEMEDEL})


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).strip().casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en dash, minus sign … as typed in Excel
    return re.sub(r"\s+", " ", text)


def parse_choice(choices: type[models.TextChoices], text: str) -> str | None:
    """The code of a value written as its code or its Swedish label (any case, any dash); None if unknown."""
    wanted = _normalise(text)
    if not wanted:
        return None
    for value, label in choices.choices:
        if wanted in (_normalise(value), _normalise(str(label)), _normalise(value).replace("_", " ")):
            return str(value)
    return None
