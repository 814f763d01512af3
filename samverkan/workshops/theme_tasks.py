"""Background grouping of a prompt's answers into themes (django-tasks; settings: TASKS_BACKEND).

Queued when a prompt closes (services.prompt_set_state, workshop_close) or when the facilitator asks
to group again. The task's arguments are ids only. Progress (0–100) is kept on the prompt's
`Grouping` row and polled by the themes page (htmx); a run that a newer one replaced does nothing.
"""

from __future__ import annotations

from django_scopes import scope, scopes_disabled
from django_tasks import task

from .models import Prompt


@task()
def group_prompt_themes(prompt_id: int, run: int) -> bool:
    """Group the prompt's visible answers; False when the prompt is gone or a newer run replaced this one."""
    from .theme_services import grouping_run

    # The job knows an id only: the association is read first (without a scope), then the job runs in its scope.
    with scopes_disabled():
        prompt = Prompt.objects.select_related("workshop__association").filter(pk=prompt_id).first()
    if prompt is None:
        return False
    with scope(association=prompt.workshop.association):
        return grouping_run(prompt, run)
