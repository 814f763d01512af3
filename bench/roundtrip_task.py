"""The trivial task bench/task_roundtrip.py sends through the queue (its own module, so the worker imports it
by a stable path: `bench.roundtrip_task.noop`, found from the project folder where `manage.py` runs)."""

from __future__ import annotations

from django_tasks import task


@task()
def noop(number: int) -> int:
    return number
