"""Writes for the narrative (ramberättelse): the text, personas and I-statements, each change a version.

Every write locks the narrative's row, changes what it changes, raises the version number and stores a
snapshot of the whole narrative with its author, in one transaction: a failed write leaves nothing, and
two people saving at once get two versions, never one that hides the other.

An I-statement becomes a local item of the association's participant questionnaire in one step
(`statement_make_item`): the association's own copy of the questionnaire (made from the shared core one
the first time), through Mät's own `item_add`, which puts the item in a new version when the current one
is already used by a round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.measure import services as measure_services
from samverkan.measure.models import Instrument, InstrumentKind, Item, ItemKind
from samverkan.measure.validation import text_errors
from samverkan.tenancy.models import Association

from .models import IStatement, Narrative, NarrativeVersion, Persona
from .narrative_text import DraftTheme, narrative_draft

TITLE_MAX = 200
NAME_MAX = 120
STATEMENT_MAX = 300
TEXT_MAX = 20_000


def draft_headings() -> dict[str, str]:
    return {
        "intro": _("Det här är ett utkast till vår ramberättelse, byggt på temana från workshopen."),
        "themes": _("Det deltagarna lyfte fram"),
        "examples": _("Några av svaren:"),
        "next": _("Skriv om texten med egna ord: vad integrerad samverkan ska betyda för människor hos oss."),
    }


def narrative_draft_text(*, themes: Sequence[DraftTheme], prompt: str = "") -> str:
    """The draft listing a workshop's themes; the lead's workshop page passes its own themes here."""
    return narrative_draft(themes=themes, prompt=prompt, headings=draft_headings())


def _author_name(author: Any) -> str:
    if author is None:
        return ""
    return str(author.get_full_name()) if hasattr(author, "get_full_name") else str(author)


def narrative_snapshot(narrative: Narrative) -> dict[str, Any]:
    return {
        "title": narrative.title,
        "text": narrative.text,
        "personas": [
            {"name": p.name, "situation": p.situation, "needs": p.needs}
            for p in narrative.personas.order_by("position", "pk")
        ],
        "statements": [
            {"text": s.text, "item": s.item.code if s.item_id and s.item else ""}
            for s in narrative.statements.select_related("item").order_by("position", "pk")
        ],
    }


def _record(narrative: Narrative, *, author: Any, change: str) -> NarrativeVersion:
    """Raise the version number (the row is locked by the caller) and keep the whole narrative as it is now."""
    narrative.version += 1
    narrative.save(update_fields=["version", "title", "text"])
    return NarrativeVersion.objects.create(
        narrative=narrative,
        number=narrative.version,
        author=author,
        author_name=_author_name(author),
        change=change[:300],
        snapshot=narrative_snapshot(narrative),
    )


def _locked(narrative: Narrative) -> Narrative:
    return Narrative.objects.select_for_update().get(pk=narrative.pk)


def _check(errors: dict[str, list[str]], field: str, value: str, *, max_length: int, required: bool = True) -> None:
    text_errors(errors, field, value, required=required)
    if len(value) > max_length:
        errors.setdefault(field, []).append(
            _("Texten är för lång: högst %(max)s tecken (nu %(n)s).") % {"max": max_length, "n": len(value)}
        )


@transaction.atomic
def narrative_start(
    *, association: Association, author: Any, themes: Sequence[DraftTheme], prompt: str = "", title: str = ""
) -> Narrative:
    """The association's narrative, started from a draft listing the themes (version 1). Once only."""
    existing = Narrative.objects.filter(association=association).first()
    if existing is not None:
        raise ServiceError(_("Förbundet har redan en ramberättelse."))
    narrative = Narrative.objects.create(
        association=association,
        title=title.strip() or _("Vår ramberättelse"),
        text=narrative_draft_text(themes=themes, prompt=prompt),
    )
    _record(narrative, author=author, change=_("Utkast från workshopens teman"))
    return narrative


@transaction.atomic
def narrative_update(
    *, narrative: Narrative, author: Any, title: str, text: str, based_on: int | None = None
) -> Narrative:
    """New title and text. `based_on` is the version the editor started from: a newer one is not overwritten."""
    title, text = title.strip(), text.replace("\r\n", "\n").strip() + "\n"
    errors: dict[str, list[str]] = {}
    _check(errors, "title", title, max_length=TITLE_MAX)
    _check(errors, "text", text, max_length=TEXT_MAX)
    if errors:
        raise ServiceError(errors)
    narrative = _locked(narrative)
    if based_on is not None and based_on != narrative.version:
        latest = narrative.versions.order_by("-number").first()
        raise ServiceError(
            _(
                "Berättelsen har ändrats (version %(number)s, %(author)s) sedan du började redigera. "
                "Din text finns kvar nedan: jämför med den senaste versionen och spara igen."
            )
            % {"number": narrative.version, "author": latest.author_name if latest else "?"}
        )
    if title == narrative.title and text == narrative.text:
        return narrative
    narrative.title, narrative.text = title, text
    _record(narrative, author=author, change=_("Texten ändrad"))
    return narrative


def _persona_errors(name: str, situation: str, needs: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _check(errors, "name", name, max_length=NAME_MAX)
    _check(errors, "situation", situation, max_length=TEXT_MAX)
    _check(errors, "needs", needs, max_length=TEXT_MAX)
    return errors


@transaction.atomic
def persona_add(*, narrative: Narrative, author: Any, name: str, situation: str, needs: str) -> Persona:
    name, situation, needs = name.strip(), situation.strip(), needs.strip()
    errors = _persona_errors(name, situation, needs)
    if errors:
        raise ServiceError(errors)
    narrative = _locked(narrative)
    position = narrative.personas.count() + 1
    persona = Persona.objects.create(
        narrative=narrative, position=position, name=name, situation=situation, needs=needs
    )
    _record(narrative, author=author, change=_("Persona tillagd: %(name)s") % {"name": name})
    return persona


@transaction.atomic
def persona_update(*, persona: Persona, author: Any, name: str, situation: str, needs: str) -> Persona:
    name, situation, needs = name.strip(), situation.strip(), needs.strip()
    errors = _persona_errors(name, situation, needs)
    if errors:
        raise ServiceError(errors)
    narrative = _locked(persona.narrative)
    if (persona.name, persona.situation, persona.needs) == (name, situation, needs):
        return persona
    persona.name, persona.situation, persona.needs = name, situation, needs
    persona.save(update_fields=["name", "situation", "needs"])
    _record(narrative, author=author, change=_("Persona ändrad: %(name)s") % {"name": name})
    return persona


@transaction.atomic
def persona_delete(*, persona: Persona, author: Any) -> None:
    narrative = _locked(persona.narrative)
    name = persona.name
    persona.delete()
    _record(narrative, author=author, change=_("Persona borttagen: %(name)s") % {"name": name})


def _statement_errors(text: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _check(errors, "text", text, max_length=STATEMENT_MAX)
    return errors


@transaction.atomic
def statement_add(*, narrative: Narrative, author: Any, text: str) -> IStatement:
    text = " ".join(text.split())
    errors = _statement_errors(text)
    if errors:
        raise ServiceError(errors)
    narrative = _locked(narrative)
    if narrative.statements.filter(text__iexact=text).exists():
        raise ServiceError({"text": _("Det påståendet finns redan.")})
    statement = IStatement.objects.create(narrative=narrative, position=narrative.statements.count() + 1, text=text)
    _record(narrative, author=author, change=_("Jag-påstående tillagt: %(text)s") % {"text": text})
    return statement


@transaction.atomic
def statement_update(*, statement: IStatement, author: Any, text: str) -> IStatement:
    """New wording. A statement that is already a questionnaire item keeps its item's wording (answers were
    given to it), so it cannot be reworded: add a new statement instead."""
    text = " ".join(text.split())
    errors = _statement_errors(text)
    if errors:
        raise ServiceError(errors)
    narrative = _locked(statement.narrative)
    if statement.item_id is not None and text != statement.text:
        raise ServiceError(
            {
                "text": _(
                    "Påståendet är en fråga i deltagarenkäten och har redan besvarats med den lydelsen. "
                    "Lägg till ett nytt påstående i stället."
                )
            }
        )
    if text == statement.text:
        return statement
    if narrative.statements.filter(text__iexact=text).exclude(pk=statement.pk).exists():
        raise ServiceError({"text": _("Det påståendet finns redan.")})
    statement.text = text
    statement.save(update_fields=["text"])
    _record(narrative, author=author, change=_("Jag-påstående ändrat: %(text)s") % {"text": text})
    return statement


@transaction.atomic
def statement_delete(*, statement: IStatement, author: Any) -> None:
    """Removes the statement from the narrative; a questionnaire item made from it stays in the questionnaire."""
    narrative = _locked(statement.narrative)
    text = statement.text
    statement.delete()
    _record(narrative, author=author, change=_("Jag-påstående borttaget: %(text)s") % {"text": text})


def participant_questionnaire(association: Association) -> Instrument | None:
    """The association's own participant questionnaire: its newest own instrument of the participant kind."""
    return (
        Instrument.objects.filter(association=association, kind=InstrumentKind.PARTICIPANT)
        .order_by("-created", "-pk")
        .first()
    )


def _core_participant_questionnaire() -> Instrument:
    core = (
        Instrument.objects.filter(association=None, kind=InstrumentKind.PARTICIPANT).order_by("-version", "pk").first()
    )
    if core is None:
        raise ServiceError(_("Det finns ingen deltagarenkät att utgå från."))
    return core


@transaction.atomic
def statement_make_item(*, statement: IStatement, author: Any) -> Item:
    """The statement as a local 1–5 item of the association's participant questionnaire, in one step.

    The first time, the association gets its own copy of the shared participant questionnaire (its core
    items keep their locked wording and stay comparable). A copy already used by a round is never changed:
    Mät's `item_add` puts the item in a new version.
    """
    narrative = _locked(statement.narrative)
    statement = IStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.item_id is not None:
        raise ServiceError(_("Påståendet är redan en fråga i deltagarenkäten."))
    association = narrative.association
    instrument = participant_questionnaire(association)
    if instrument is None:
        instrument = measure_services.instrument_copy(
            association=association,
            source=_core_participant_questionnaire(),
            name=_("%(name)s – %(association)s")
            % {"name": _core_participant_questionnaire().name, "association": association.name},
        )
    _target, item = measure_services.item_add(instrument=instrument, kind=ItemKind.LIKERT, text=statement.text)
    statement.item = item
    statement.save(update_fields=["item"])
    _record(
        narrative,
        author=author,
        change=_("Jag-påstående blev fråga i deltagarenkäten: %(text)s") % {"text": statement.text},
    )
    return item


def draft_themes(association: Association) -> tuple[str, list[DraftTheme]]:
    """(prompt, themes) the draft lists. Until the workshop part hands over the association's latest
    workshop and its codebook, the demo workshop's themes (seed 000) stand in."""
    from .demo_narrative import DEMO_PROMPT, DEMO_THEMES

    return DEMO_PROMPT, list(DEMO_THEMES)
