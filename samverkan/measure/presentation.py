"""The three-ring picture and its words, shared by the results page, the start page and the PDF."""

from __future__ import annotations

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .results import CampaignResults, Cell, ring_markers
from .rings import ring_picture_svg

RING_NAMES = {
    1: gettext_lazy("Samverkan apart"),
    2: gettext_lazy("Samverkan på fredag"),
    3: gettext_lazy("Integrerad samverkan"),
}


def number(value: float | None, digits: int = 1) -> str:
    """A figure in the active language's style (decimal comma in Swedish), a real minus sign, "–" when missing."""
    if value is None:
        return "–"
    return formats.number_format(round(value, digits), digits).replace("-", "−")


def level_sentence(label: str, cell: Cell) -> str:
    """One level of the picture in words, from the whole campaign's (suppressed) figures."""
    if cell.suppressed or cell.summary is None:
        return _("%(level)s: dolt – för få svar.") % {"level": label}
    s = cell.summary
    text = _("%(level)s: medelvärde %(mean)s (ring %(ring)s, %(name)s)") % {
        "level": label,
        "mean": number(s.mean),
        "ring": s.ring,
        "name": RING_NAMES[s.ring],
    }
    if cell.target_mean is not None:
        text += _(", mål om två år %(target)s") % {"target": number(cell.target_mean)}
    if cell.momentum is not None:
        if cell.momentum.detectable:
            difference = cell.momentum.difference
            text += _(", säkerställd förflyttning %(diff)s %(direction)s sedan förra omgången") % {
                "diff": ("+" if difference > 0 else "") + number(difference),
                "direction": _("inåt") if difference > 0 else _("utåt"),
            }
        else:
            text += _(", ingen säkerställd förändring sedan förra omgången")
    if s.disagreement:
        text += _(", oenighet")
    return text + "."


def level_sentences(results: CampaignResults) -> list[str]:
    return [level_sentence(level.label, level.total) for level in results.levels]


def picture_for(results: CampaignResults) -> SafeString:
    return ring_picture_svg(
        ring_markers(results),
        title=_("Tre ringar: %(campaign)s") % {"campaign": results.campaign.name},
        description=" ".join(level_sentences(results)),
    )
