"""One long job of an association: its state, progress, short message and (optionally) a file to download.

See samverkan/jobs/services.py for how a capability starts one and reports from its task.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import Association, Role


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klart")
    FAILED = "failed", _("Misslyckades")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    # A random id: the status and download addresses say nothing about how many jobs exist.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=60)  # e.g. "measure.export", "measure.invitations"
    key = models.CharField(max_length=200)  # what the job is about, e.g. "campaign:12:svar.xlsx"
    title = models.CharField(max_length=200)  # shown above the bar, in Swedish
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)  # who may see it
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    # The job's input when it is too big for the task's arguments (an address list); emptied when it ends.
    payload = models.JSONField(default=dict, blank=True)
    result = models.BinaryField(null=True, blank=True)  # in the database: every machine can serve it
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    return_url = models.CharField(max_length=500, blank=True)  # the page the job belongs to
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # "Can't be started twice", kept by the database: two requests racing each other get one job.
            models.UniqueConstraint(
                fields=["association", "kind", "key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="jobs_one_active_job_per_key",
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="jobs_expires_at")]
        verbose_name = _("jobb")
        verbose_name_plural = _("jobb")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:status", args=[self.association.slug, self.pk])

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return round(100 * min(self.done, self.total) / self.total) if self.total else 0

    @property
    def has_result(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_name)
