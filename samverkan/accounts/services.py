"""Writes for accounts: pruning what the login lockout keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Pruned:
    attempts: int
    failure_logs: int
    access_logs: int


def login_attempts_prune(*, now: datetime | None = None) -> Pruned:
    """Delete every lockout record (user name, address, user agent, time) older than the cool-off.

    An attempt older than the cool-off no longer counts towards a lockout (axes filters by
    attempt_time), so nothing it needs is lost. A running lockout is newer and stays.
    """
    cool_off = get_cool_off() or timedelta(0)
    before = (now or timezone.now()) - cool_off
    with transaction.atomic():
        attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=before).delete()
        failure_logs, _ = AccessFailureLog.objects.filter(attempt_time__lt=before).delete()
        access_logs, _ = AccessLog.objects.filter(attempt_time__lt=before).delete()
    return Pruned(attempts=attempts, failure_logs=failure_logs, access_logs=access_logs)
