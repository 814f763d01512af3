"""Long jobs: start one from a request, report progress from its task, hand back a file.

A guide for capabilities (theme grouping, 100,000-row imports, Monte Carlo runs, annual PDFs, …).
Whatever would make a request wait for seconds, or grows with the data, runs as a job:

1. Write the work as a module-level function decorated with `@job_task()` (instead of django-tasks'
   `@task()`). It receives a `JobRun` first, then the task's own (JSON) arguments. It runs in the scope
   of the job's association (django-scopes), so its queries are tenant-checked as in a view::

       from samverkan.jobs.services import JobRun, job_task

       @job_task()
       def themes_group(run: JobRun, survey_id: int) -> None:
           texts = load(survey_id)
           for done, chunk in enumerate(chunks(texts), 1):
               work(chunk)
               run.progress(done, total=len(texts), message=_("Grupperar svaren…"))
           run.finish(pdf_bytes, filename="teman.pdf", content_type="application/pdf")

   `run.fail(_("Filen saknar kolumnen ”e-post”."))` ends it with a Swedish message for the page; any other
   exception ends it as failed with a general message (only the exception's type is logged) and is
   re-raised, so the queue records it too. A job that returns without `finish` is finished without a file.
   `run.payload` is input too big for a task's arguments (a pasted list); it is emptied when the job ends,
   so personal data in it lives no longer than the job.

2. Start it from the view with `job_start(...)`: `kind` names the sort of job ("themes.group"), `key`
   what it is about ("survey:12"). The same kind and key cannot be queued or running twice: the database
   refuses the second row (a conditional unique constraint), and `job_start` raises `JobAlreadyRunning`
   (a ServiceError with a Swedish message, and `.job`, the one already running). `role` is the least
   role that may watch it and download its file. Then redirect to `job.get_absolute_url()` (a page with
   the bar and, when done, the download link) or include the bar on your own page::

       {% include "jobs/_progress.html" with job=job then="reload" %}

   The bar polls its status every 2 seconds with htmx; without JavaScript the page offers a reload link
   (and the job page refreshes itself). `then="reload"` reloads the whole page once the job is over, for
   pages that show the job's outcome themselves; `then="link"` offers a link to the job's `return_url`
   instead (for a page that would start the job again on every load).

3. Results are kept in the database (no shared disk needed) for `SAMVERKAN_JOB_RESULT_HOURS` (default
   24), then `manage.py prune_jobs` (scheduled, hourly) deletes them; it also fails jobs whose worker
   stopped reporting for `SAMVERKAN_JOB_STALE_HOURS` (default 6), so their key can be started again.

Tests run tasks at once (the immediate backend, set by conftest); samverkan/jobs/tests/test_jobs.py runs
one through the real database queue and its worker.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task, task_backends

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association, Role

from .models import ACTIVE, Job, JobStatus

logger = logging.getLogger(__name__)


class JobAlreadyRunning(ServiceError):
    """The same job (kind and key) is already queued or running; `.job` is that one."""

    def __init__(self, job: Job | None) -> None:
        super().__init__(_("Det här jobbet pågår redan och kan inte startas två gånger. Vänta tills det är klart."))
        self.job = job


class JobFailed(Exception):
    """Raised by `JobRun.fail`: the job ends as failed with this Swedish message."""


def result_hours() -> int:
    return int(getattr(settings, "SAMVERKAN_JOB_RESULT_HOURS", 24))


def _active(association: Association, kind: str, key: str) -> Job | None:
    return Job.objects.filter(association=association, kind=kind, key=key, status__in=ACTIVE).first()


def job_start(
    *,
    association: Association,
    kind: str,
    key: str,
    title: str,
    task: Any,
    args: Sequence[Any] = (),
    role: str = Role.MEMBER,
    created_by: Any = None,
    total: int = 0,
    payload: dict[str, Any] | None = None,
    return_url: str = "",
    message: str = "",
) -> Job:
    """Queue `task` (a `@job_task`) for a new job; refused (JobAlreadyRunning) while the same one is active."""
    existing = _active(association, kind, key)
    if existing is not None:
        raise JobAlreadyRunning(existing)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the refused row leaves the outer transaction usable
                job = Job.objects.create(
                    association=association,
                    kind=kind,
                    key=key,
                    title=title[:200],
                    role=role,
                    created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
                    total=total,
                    payload=payload or {},
                    return_url=return_url[:500],
                    message=message or _("Väntar på att starta…"),
                )
        except IntegrityError:
            # Lost the race against another request: the constraint let only one of us in.
            raise JobAlreadyRunning(_active(association, kind, key)) from None
        _enqueue(task, [str(job.pk), *args])
    return job


def _enqueue(job_task_: Any, args: list[Any]) -> None:
    # The database queue shares the transaction (its row commits with the job's, or neither does) and the
    # immediate backend runs the job now; a queue elsewhere (Redis) hears of it only after the commit.
    backend = type(task_backends["default"]).__module__
    if backend.startswith(("django_tasks_db", "django_tasks.backends.immediate")):
        job_task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: job_task_.enqueue(*args))


class JobRun:
    """What a running job's task holds: report progress, finish with a file, or fail with a message."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.ended = False

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Visible at the next poll of the page (the worker commits each update at once)."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message[:300]
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, message=self.job.message, updated_at=timezone.now()
        )

    def finish(
        self, result: bytes | None = None, *, filename: str = "", content_type: str = "", message: str = ""
    ) -> None:
        self._end(
            status=JobStatus.DONE,
            done=max(self.job.done, self.job.total),
            message=(message or _("Klart."))[:300],
            result=result,
            result_name=filename[:200] if result is not None else "",
            result_type=content_type[:100] if result is not None else "",
        )

    def fail(self, message: str) -> None:
        """End the job as failed with this Swedish message (raises, so the task stops here)."""
        raise JobFailed(message)

    def _end(self, **fields: Any) -> None:
        now = timezone.now()
        fields.update(payload={}, updated_at=now, expires_at=now + timedelta(hours=result_hours()))
        fields.setdefault("finished_at", now)
        Job.objects.filter(pk=self.job.pk, status__in=ACTIVE).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)
        self.ended = True


def job_task(**task_options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Like django-tasks' `@task()`, for a function `fn(run: JobRun, *args)`; the task takes `(job_id, *args)`."""

    def decorator(fn: Callable[..., Any]) -> Any:
        @functools.wraps(fn)
        def runner(job_id: str, *args: Any, **kwargs: Any) -> str:
            # The task knows the job's id only: its association is read first (the one read without a scope),
            # then the work runs in that association's scope alone.
            with scopes_disabled():
                association_id = Job.objects.filter(pk=job_id).values_list("association_id", flat=True).first()
            if association_id is None:
                return "missing"
            with scope(association=association_id):
                started = Job.objects.filter(pk=job_id, status__in=ACTIVE).update(
                    status=JobStatus.RUNNING, updated_at=timezone.now()
                )
                if not started:
                    return "not active"  # pruned as stale, or already over
                run = JobRun(Job.objects.get(pk=job_id))
                try:
                    fn(run, *args, **kwargs)
                except JobFailed as failure:
                    run._end(status=JobStatus.FAILED, message=str(failure)[:300])
                    return "failed"
                except Exception as error:
                    logger.error("job %s (%s) failed: %s", job_id, run.job.kind, type(error).__name__)
                    run._end(
                        status=JobStatus.FAILED,
                        message=_("Jobbet kunde inte slutföras. Försök igen; hjälper det inte, kontakta supporten."),
                    )
                    raise
                if not run.ended:
                    run.finish()
                return "done"

        return task(**task_options)(runner)

    return decorator


def jobs_prune(*, now: Any = None) -> tuple[int, int]:
    """Delete jobs past their expiry (their files with them) and fail jobs whose worker fell silent.

    Returns (deleted, failed as stale). Platform-wide on purpose: run by the scheduler, not a tenant.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(hours=int(getattr(settings, "SAMVERKAN_JOB_STALE_HOURS", 6)))
    with scopes_disabled():
        stale = Job.objects.filter(status__in=ACTIVE, updated_at__lt=stale_before).update(
            status=JobStatus.FAILED,
            message=_("Jobbet avbröts: det hördes inget från det på länge. Starta det igen."),
            payload={},
            finished_at=now,
            expires_at=now + timedelta(hours=result_hours()),
        )
        deleted, _per_model = Job.objects.filter(expires_at__lt=now).delete()
    return deleted, stale
