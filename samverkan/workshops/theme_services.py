"""Writes and reads for themes: grouping a prompt's visible answers, the facilitator's edits, the codebook, votes.

Only `Answer.objects.visible()` ever reaches grouping (`visible_texts`), the theme lists, the votes'
results and the exports; an answer hidden after grouping drops out of its theme everywhere, because
every read joins through `visible()` again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.utils.translation import gettext as _
from django_tasks import task_backends

from samverkan.common.errors import ServiceError

from . import grouping
from .models import (
    Answer,
    Codebook,
    Grouping,
    GroupingState,
    Prompt,
    PromptKind,
    Theme,
    ThemeAnswer,
    ThemeVote,
    VoteMode,
    Workshop,
)
from .selectors import min_group_size

LABEL_MAX = 120
DEFINITION_MAX = 300
CODEBOOK_MAX_BYTES = 1_000_000


def grouping_message(error: grouping.GroupingError) -> str:
    return _(error.template) % error.params if error.params else _(error.template)


def grouping_of(prompt: Prompt) -> Grouping:
    found, _created = Grouping.objects.get_or_create(prompt=prompt)
    return found


def visible_answers(prompt: Prompt) -> list[Answer]:
    """The answers that may be grouped: visible, with text, in the order of their random keys."""
    return [a for a in Answer.objects.visible().filter(prompt=prompt).order_by("id") if a.text.strip()]


# --- grouping --------------------------------------------------------------------------------------------


def grouping_queue(
    prompt: Prompt, *, k: int | None = None, seed: int | None = None, use_codebook: bool = True
) -> Grouping:
    """Mark the prompt's grouping as queued and enqueue the background task (after the commit)."""
    from .theme_tasks import group_prompt_themes

    if prompt.kind != PromptKind.OPEN:
        raise ServiceError(_("Bara öppna frågor grupperas i teman."))
    if k is not None and not 1 <= k <= grouping.MAX_THEMES * 5:
        raise ServiceError({"k": _("Antalet teman ska vara mellan 1 och %(max)d.") % {"max": grouping.MAX_THEMES * 5}})
    with transaction.atomic():
        state = Grouping.objects.select_for_update().filter(pk=grouping_of(prompt).pk).get()
        state.state, state.progress, state.error = GroupingState.QUEUED, 0, ""
        state.k, state.use_codebook = k, use_codebook
        if seed is not None:
            state.seed = seed
        state.run += 1
        state.save()
        run = state.run

        def enqueue() -> None:
            group_prompt_themes.enqueue(prompt.pk, run)

        # As for Measure's mail (measure/invitations.py): the database queue shares the transaction, so its
        # job row commits with the queued state or neither does (and the immediate backend runs it now);
        # a queue elsewhere (Redis) must only hear of it after the commit.
        backend = type(task_backends["default"]).__module__
        if backend.startswith(("django_tasks_db", "django_tasks.backends.immediate")):
            enqueue()
        else:
            transaction.on_commit(enqueue)
    state.refresh_from_db()
    return state


def _screen_changed(prompt: Prompt) -> None:
    """The big screen shows the themes: raise the workshop's version so its poll fetches them again."""
    from .services import _bump

    _bump(prompt.workshop_id)


def grouping_on_close(prompt: Prompt) -> None:
    """A prompt closed: group its answers unless every visible answer is in a theme already (edits stay)."""
    if prompt.kind != PromptKind.OPEN or not visible_answers(prompt):
        return
    if Theme.objects.filter(prompt=prompt).exists() and not ungrouped_answers(prompt):
        return
    grouping_queue(prompt)


def _set_progress(grouping_id: int, run: int) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        Grouping.objects.filter(pk=grouping_id, run=run).update(progress=min(99, max(1, round(fraction * 100))))

    return report


def grouping_run(prompt: Prompt, run: int | None = None) -> bool:
    """Group the prompt's visible answers now (the task's body); False if a newer run took over."""
    state = grouping_of(prompt)
    run = state.run if run is None else run
    if Grouping.objects.filter(pk=state.pk, run=run).update(state=GroupingState.RUNNING, progress=1) == 0:
        return False
    # Sorted by text, so the same answers always give the same themes: their random keys differ between runs
    # and workshops, and KMeans' result depends on the order of its input (a rare flake of the codebook test).
    answers = sorted(visible_answers(prompt), key=lambda answer: (answer.text, str(answer.pk)))
    texts = [a.text for a in answers]
    codebook = codebook_entries(prompt.workshop) if state.use_codebook else []
    report = _set_progress(state.pk, run)
    try:
        if codebook:
            themes = grouping.apply_codebook(
                texts, codebook, k=state.k, seed=state.seed, prompt=prompt.text, progress=report
            )
        else:
            themes = grouping.group_answers(texts, k=state.k, seed=state.seed, prompt=prompt.text, progress=report)
    except grouping.GroupingError as error:
        Grouping.objects.filter(pk=state.pk, run=run).update(
            state=GroupingState.FAILED, error=grouping_message(error)[:300]
        )
        return False
    with transaction.atomic():
        if not Grouping.objects.select_for_update().filter(pk=state.pk, run=run).exists():
            return False
        _replace_themes(prompt, answers, themes)
        Grouping.objects.filter(pk=state.pk).update(state=GroupingState.DONE, progress=100)
        _screen_changed(prompt)
    return True


def _replace_themes(prompt: Prompt, answers: list[Answer], themes: list[grouping.Theme]) -> None:
    Theme.objects.filter(prompt=prompt).delete()  # votes and links go with them
    links = []
    order = 1
    for found in themes:
        if not found.answers and not found.from_codebook:
            continue
        theme = Theme.objects.create(
            prompt=prompt,
            label=found.label[:LABEL_MAX],
            definition=found.definition[:DEFINITION_MAX],
            order=order,
            from_codebook=found.from_codebook,
        )
        order += 1
        links += [ThemeAnswer(answer=answers[i], theme=theme) for i in found.answers]
    ThemeAnswer.objects.bulk_create(links)


# --- reads -----------------------------------------------------------------------------------------------


@dataclass
class ThemeView:
    theme: Theme
    answers: list[Answer]


def themes_with_answers(prompt: Prompt) -> list[ThemeView]:
    """The prompt's themes with their visible answers (hidden ones never), in theme order."""
    themes = list(Theme.objects.filter(prompt=prompt))
    by_theme: dict[int, list[Answer]] = {t.pk: [] for t in themes}
    visible = Answer.objects.visible().filter(prompt=prompt, theme_link__isnull=False)
    for answer in visible.select_related("theme_link").order_by("id"):
        by_theme[answer.theme_link.theme_id].append(answer)
    return [ThemeView(theme=t, answers=by_theme[t.pk]) for t in themes]


def ungrouped_answers(prompt: Prompt) -> list[Answer]:
    """Visible answers in no theme yet (sent or shown again after the grouping)."""
    return [a for a in visible_answers(prompt) if not ThemeAnswer.objects.filter(answer=a).exists()]


def theme_of_prompt_or_none(prompt: Prompt, theme_id: Any) -> Theme | None:
    try:
        return Theme.objects.filter(prompt=prompt, pk=int(theme_id)).first()
    except (TypeError, ValueError):
        return None


# --- the facilitator's edits ----------------------------------------------------------------------------


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ServiceError({"label": _("Ge temat ett namn.")})
    if len(label) > LABEL_MAX:
        raise ServiceError({"label": _("Namnet får vara högst %(max)d tecken.") % {"max": LABEL_MAX}})
    return label


def _label_free(prompt: Prompt, label: str, *, but: Theme | None = None) -> None:
    # Compared in Python: SQLite's case-insensitive match knows ASCII only ("Ä" ≠ "ä" there).
    others = Theme.objects.filter(prompt=prompt)
    if but is not None:
        others = others.exclude(pk=but.pk)
    if any(other.casefold() == label.casefold() for other in others.values_list("label", flat=True)):
        raise ServiceError({"label": _("Det finns redan ett tema som heter ”%(label)s”.") % {"label": label}})


@transaction.atomic
def theme_rename(*, theme: Theme, label: str, definition: str = "") -> Theme:
    label = _clean_label(label)
    definition = " ".join((definition or "").split())
    if len(definition) > DEFINITION_MAX:
        raise ServiceError({"definition": _("Definitionen får vara högst %(max)d tecken.") % {"max": DEFINITION_MAX}})
    _label_free(theme.prompt, label, but=theme)
    theme.label, theme.definition = label, definition
    theme.save(update_fields=["label", "definition"])
    _screen_changed(theme.prompt)
    return theme


@transaction.atomic
def themes_merge(*, prompt: Prompt, theme_ids: list[Any]) -> Theme:
    """Merge the chosen themes into the first of them (in theme order): its label stays, answers and votes move."""
    themes = [t for t in Theme.objects.filter(prompt=prompt) if str(t.pk) in {str(i) for i in theme_ids}]
    if len(themes) < 2:
        raise ServiceError(_("Välj minst två teman att slå ihop."))
    target, rest = themes[0], themes[1:]
    ThemeAnswer.objects.filter(theme__in=rest).update(theme=target)
    ThemeVote.objects.filter(theme__in=rest).delete()  # a merged theme is a new question to the room
    ThemeVote.objects.filter(theme=target).delete()
    if not target.definition:
        target.definition = next((t.definition for t in rest if t.definition), "")
        target.save(update_fields=["definition"])
    Theme.objects.filter(pk__in=[t.pk for t in rest]).delete()
    _renumber(prompt)
    _screen_changed(prompt)
    return target


@transaction.atomic
def theme_split(*, theme: Theme, seed: int = 0) -> list[Theme]:
    """Split a theme in two by grouping its own visible answers with k = 2; the first part keeps the label."""
    answers = [a for a in Answer.objects.visible().filter(theme_link__theme=theme).order_by("id") if a.text.strip()]
    if len(answers) < 2:
        raise ServiceError(_("Ett tema med färre än två svar kan inte delas."))
    taken = list(Theme.objects.filter(prompt=theme.prompt).values_list("label", flat=True))
    parts = grouping.group_answers(
        [a.text for a in answers], k=2, seed=seed, prompt=theme.prompt.text, taken_labels=taken
    )
    if len(parts) < 2:
        raise ServiceError(_("Svaren i temat är för lika varandra för att delas automatiskt. Flytta svar för hand."))
    ThemeVote.objects.filter(theme=theme).delete()
    Theme.objects.filter(prompt=theme.prompt, order__gt=theme.order).update(order=F("order") + 1)
    new = Theme.objects.create(prompt=theme.prompt, label=parts[1].label[:LABEL_MAX], order=theme.order + 1)
    ThemeAnswer.objects.filter(answer__in=[answers[i] for i in parts[1].answers]).update(theme=new)
    _renumber(theme.prompt)
    _screen_changed(theme.prompt)
    return [theme, new]


@transaction.atomic
def answer_move(*, prompt: Prompt, answer: Answer, to: Theme | None, new_label: str = "") -> Theme:
    """Move a visible answer to another theme of the prompt, or to a new theme named `new_label`."""
    if answer.prompt_id != prompt.pk or answer.hidden:
        raise ServiceError(_("Svaret finns inte bland frågans synliga svar."))
    if to is None:
        label = _clean_label(new_label)
        _label_free(prompt, label)
        top = Theme.objects.filter(prompt=prompt).aggregate(m=Max("order"))["m"] or 0
        to = Theme.objects.create(prompt=prompt, label=label, order=top + 1)
    elif to.prompt_id != prompt.pk:
        raise ServiceError(_("Temat hör inte till den här frågan."))
    old = ThemeAnswer.objects.filter(answer=answer).values_list("theme_id", flat=True).first()
    ThemeAnswer.objects.update_or_create(answer=answer, defaults={"theme": to})
    if old and old != to.pk and not ThemeAnswer.objects.filter(theme_id=old).exists():
        Theme.objects.filter(pk=old, from_codebook=False).delete()  # an emptied suggestion goes away
        _renumber(prompt)
    _screen_changed(prompt)
    return to


@transaction.atomic
def theme_delete_empty(*, theme: Theme) -> None:
    if ThemeAnswer.objects.filter(theme=theme, answer__hidden=False).exists():
        raise ServiceError(_("Bara ett tema utan svar kan tas bort. Flytta svaren först."))
    prompt = theme.prompt
    theme.delete()
    _renumber(prompt)


def _renumber(prompt: Prompt) -> None:
    for number, theme in enumerate(Theme.objects.filter(prompt=prompt), start=1):
        if theme.order != number:
            Theme.objects.filter(pk=theme.pk).update(order=number)


# --- the codebook ----------------------------------------------------------------------------------------


def codebook_entries(workshop: Workshop) -> list[grouping.CodebookEntry]:
    book = Codebook.objects.filter(workshop=workshop).first()
    if book is None or not book.entries:
        return []
    try:
        return grouping.parse_codebook(book.entries)
    except grouping.GroupingError:  # pragma: no cover - only valid codebooks are saved
        return []


@transaction.atomic
def codebook_save(*, prompt: Prompt) -> Codebook:
    """The prompt's edited themes become the workshop's codebook: labels, definitions, central examples."""
    views = [v for v in themes_with_answers(prompt) if v.answers or v.theme.from_codebook]
    if not views:
        raise ServiceError(_("Det finns inga teman att spara i kodboken ännu."))
    texts: list[str] = []
    themes: list[grouping.Theme] = []
    for view in views:
        start = len(texts)
        texts += [a.text for a in view.answers]
        themes.append(
            grouping.Theme(
                label=view.theme.label, answers=tuple(range(start, len(texts))), definition=view.theme.definition
            )
        )
    entries = grouping.codebook_from_themes(texts, themes)
    book, _created = Codebook.objects.update_or_create(
        workshop=prompt.workshop, defaults={"entries": [e.as_json() for e in entries]}
    )
    return book


def codebook_json(workshop: Workshop) -> str:
    return json.dumps([e.as_json() for e in codebook_entries(workshop)], ensure_ascii=False, indent=2)


def codebook_parse_upload(raw: bytes) -> list[grouping.CodebookEntry]:
    """An uploaded codebook file, checked; every problem is a Swedish ServiceError and nothing is saved."""
    if len(raw) > CODEBOOK_MAX_BYTES:
        raise ServiceError({"file": _("Kodboken är för stor (högst 1 MB).")})
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ServiceError({"file": _("Kodboken ska vara en textfil i UTF-8.")}) from None
    except json.JSONDecodeError as error:
        raise ServiceError(
            {
                "file": _("Kodboken är inte giltig JSON (rad %(line)d, kolumn %(col)d).")
                % {"line": error.lineno, "col": error.colno}
            }
        ) from None
    try:
        entries = grouping.parse_codebook(data)
    except grouping.GroupingError as error:
        raise ServiceError({"file": grouping_message(error)}) from None
    if not entries:
        raise ServiceError({"file": _("Kodboken har inga teman.")})
    return entries


@transaction.atomic
def codebook_import(*, workshop: Workshop, entries: list[grouping.CodebookEntry]) -> Codebook:
    book, _created = Codebook.objects.update_or_create(
        workshop=workshop, defaults={"entries": [e.as_json() for e in entries]}
    )
    return book


# --- votes -----------------------------------------------------------------------------------------------


def voting_prompt(workshop: Workshop) -> Prompt | None:
    """The prompt the room votes on: the first open-kind prompt that has themes."""
    for prompt in Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN):
        if Theme.objects.filter(prompt=prompt).exists():
            return prompt
    return None


def own_votes(prompt: Prompt, participant: str) -> dict[int, int]:
    return dict(
        ThemeVote.objects.filter(theme__prompt=prompt, participant=participant).values_list("theme_id", "value")
    )


@transaction.atomic
def votes_cast(*, prompt: Prompt, participant: str, values: dict[int, Any]) -> None:
    """A phone's votes on the prompt's themes, replacing its earlier ones. Dots: at most `dots` in all."""
    state = grouping_of(prompt)
    themes = {t.pk for t in Theme.objects.filter(prompt=prompt)}
    clean: dict[int, int] = {}
    for theme_id, raw in values.items():
        if theme_id not in themes:
            continue
        if raw in (None, ""):
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ServiceError(_("Välj ett värde för varje tema du vill rösta på.")) from None
        if state.vote_mode == VoteMode.SCALE:
            if not 1 <= value <= 5:
                raise ServiceError(_("Välj ett värde från 1 till 5."))
        elif not 0 <= value <= state.dots:
            raise ServiceError(_("Du kan ge ett tema högst %(dots)d prickar.") % {"dots": state.dots})
        if value:
            clean[theme_id] = value
    if state.vote_mode == VoteMode.DOTS and sum(clean.values()) > state.dots:
        raise ServiceError(
            _("Du har %(dots)d prickar att fördela men gav %(given)d. Ta bort några och försök igen.")
            % {"dots": state.dots, "given": sum(clean.values())}
        )
    if not clean:
        raise ServiceError(_("Ge minst ett tema en röst."))
    ThemeVote.objects.filter(theme__prompt=prompt, participant=participant).delete()
    ThemeVote.objects.bulk_create(
        [ThemeVote(theme_id=theme_id, participant=participant, value=value) for theme_id, value in clean.items()]
    )


@dataclass(frozen=True)
class ThemeResult:
    theme: Theme
    n: int  # phones that voted on the theme
    shown: bool  # n reaches the minimum group size
    dots: int | None  # dot-voting: the dots it got (None when not shown)
    mean: float | None  # 1–5: the mean rating (None when not shown)


def vote_results(prompt: Prompt) -> list[ThemeResult]:
    """Per theme: n and the result, never a result for fewer votes than the minimum group size.

    The number of phones that voted in all is not published: with it (and everyone spending every dot)
    a hidden theme's dots would follow by subtraction.
    """
    state = grouping_of(prompt)
    minimum = min_group_size(prompt.workshop)
    rows = {
        r["theme"]: r
        for r in ThemeVote.objects.filter(theme__prompt=prompt)
        .values("theme")
        .annotate(n=Count("id"), total=Sum("value"))
    }
    results = []
    for theme in Theme.objects.filter(prompt=prompt):
        row = rows.get(theme.pk, {"n": 0, "total": 0})
        n, total = int(row["n"]), int(row["total"] or 0)
        shown = n >= minimum
        results.append(
            ThemeResult(
                theme=theme,
                n=n,
                shown=shown,
                dots=total if shown and state.vote_mode == VoteMode.DOTS else None,
                mean=round(total / n, 1) if shown and state.vote_mode == VoteMode.SCALE and n else None,
            )
        )
    return results


@transaction.atomic
def voting_set(*, prompt: Prompt, mode: str, dots: Any) -> Grouping:
    state = grouping_of(prompt)
    try:
        mode = VoteMode(mode)
    except ValueError:
        raise ServiceError({"vote_mode": _("Okänt sätt att rösta.")}) from None
    try:
        count = int(dots)
    except (TypeError, ValueError):
        raise ServiceError({"dots": _("Antalet prickar ska vara ett heltal.")}) from None
    if not 1 <= count <= 10:
        raise ServiceError({"dots": _("Antalet prickar ska vara mellan 1 och 10.")})
    if ThemeVote.objects.filter(theme__prompt=prompt).exists() and (mode != state.vote_mode or count != state.dots):
        raise ServiceError(_("Rummet har redan röstat; sättet att rösta kan inte ändras nu."))
    state.vote_mode, state.dots = mode, count
    state.save(update_fields=["vote_mode", "dots"])
    return state


def participant_count(workshop: Workshop) -> int:
    """Phones that sent at least one visible answer in the workshop (for the summary)."""
    return Answer.objects.visible().filter(prompt__workshop=workshop).values("participant").distinct().count()
