"""Theme parts inside the live session's pages: the workshop page's panel, the phones' vote, the big screen.

Inclusion tags, so the session's views and templates need one line each and no theme code.
"""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.workshops import theme_services as themes
from samverkan.workshops.models import GroupingState, Prompt, PromptKind, Theme, Workshop
from samverkan.workshops.participants import has_token, participant_key
from samverkan.workshops.selectors import min_group_size

register = template.Library()


@register.inclusion_tag("workshops/themes/_detail_panel.html", takes_context=True)
def themes_panel(context: dict[str, Any], workshop: Workshop) -> dict[str, Any]:
    """The workshop page: each open prompt's grouping state (polled while it runs) and a link to the themes."""
    prompts = list(Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN))
    rows = [
        {
            "prompt": p,
            "grouping": themes.grouping_of(p),
            "count": Theme.objects.filter(prompt=p).count(),
            "results": themes.vote_results(p),
        }
        for p in prompts
    ]
    return {
        "workshop": workshop,
        "rows": rows,
        "request": context.get("request"),
        "membership": context.get("membership"),
        "min_group_size": min_group_size(workshop),
        "GroupingState": GroupingState,
    }


@register.inclusion_tag("workshops/themes/_phone_voting.html", takes_context=True)
def phone_voting(context: dict[str, Any]) -> dict[str, Any]:
    """The phone in the voting step: one field per theme, this phone's own votes filled in."""
    workshop: Workshop = context["workshop"]
    request = context["request"]
    prompt = themes.voting_prompt(workshop)
    if prompt is None:
        return {"workshop": workshop, "prompt": None}
    mine = themes.own_votes(prompt, participant_key(request, workshop)) if has_token(request) else {}
    state = themes.grouping_of(prompt)
    rows = [
        {"theme": v.theme, "count": len(v.answers), "mine": mine.get(v.theme.pk, 0)}
        for v in themes.themes_with_answers(prompt)
    ]
    return {
        "workshop": workshop,
        "prompt": prompt,
        "grouping": state,
        "rows": rows,
        "voted": bool(mine),
        "dot_choices": range(0, state.dots + 1),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("workshops/themes/_screen_themes.html", takes_context=True)
def screen_themes(context: dict[str, Any], show_results: bool = False) -> dict[str, Any]:
    """The big screen: the themes with their answer counts; in the result step, the votes (suppressed below n)."""
    workshop: Workshop = context["workshop"]
    prompt = themes.voting_prompt(workshop)
    if prompt is None:
        return {"workshop": workshop, "prompt": None, "show_results": show_results}
    return {
        "workshop": workshop,
        "prompt": prompt,
        "themes": themes.themes_with_answers(prompt),
        "results": themes.vote_results(prompt) if show_results else [],
        "grouping": themes.grouping_of(prompt),
        "show_results": show_results,
        "min_group_size": min_group_size(workshop),
    }
