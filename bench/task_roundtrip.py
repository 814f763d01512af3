"""A task's round trip through the database queue vs a trivial view: target round trip ≤ interval + 5 views.

Mail and other background jobs go through django-tasks-db (TASKS_BACKEND=database,
the default): the request writes a job row, a separate `manage.py db_worker`
process polls the table, claims the job in a transaction, runs it and records
the result. Measured here: enqueue a trivial task (bench/roundtrip_task.py)
and wait until its row says it has finished (the benchmark reads the row every
5 ms), median of N; against GET /healthz (one query) through Django's test
Client in the same process and database, measured between the round trips.

The worker runs as `make demo` starts it (`db_worker --no-startup-delay`, the
default polling interval of 1 s, or --interval). An idle worker looks for work
once per interval, so a job arriving at a random moment waits on average half
an interval, at most a whole one, before it is picked up; the benchmark sleeps
a random part of an interval before each enqueue so the arrivals are random
as a real request's are. Claiming, running and recording a trivial job is a
handful of statements, like a few trivial requests. Target: the median round
trip is at most one polling interval plus 5 trivial-view times. It fails
when the worker misses polls (e.g. SQLite's "database is locked" makes it skip
a round) or when claiming or recording a job costs far more than a request;
a round trip of more than one interval would mean jobs wait for a second poll.
Printed beside it: the ratio to the trivial view, the pickup wait and the run
time from the job row, and the slowest round trip. Exit 2 if a job failed or
never finished.

    .venv/bin/python bench/task_roundtrip.py [--postgres] [--repeat 15] [--interval 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, engine_name, median_ms, scratch_database, setup_django, verdict

VIEWS = 5  # the target's allowance for claiming, running and recording a job, in trivial-view times
TIMEOUT = 30.0  # seconds: a job not finished by then counts as lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL if set)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--interval", type=float, default=1.0, help="the worker's polling interval, seconds")
    args = parser.parse_args()
    os.environ["TASKS_BACKEND"] = "database"
    database_url = scratch_database("samverkan_bench_tasks", postgres=args.postgres)
    setup_django(database_url)

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from bench.roundtrip_task import noop

    setup_test_environment()
    client = Client()

    def healthz() -> None:
        assert client.get("/healthz").status_code == 200

    def round_trip(number: int) -> tuple[float, str]:
        """Seconds from before enqueue() until the job's row says it has finished; and its status."""
        started = time.perf_counter()
        result = noop.enqueue(number)
        while time.perf_counter() - started < TIMEOUT:
            status = DBTaskResult.objects.filter(pk=result.id).values_list("status", flat=True).first()
            if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
                return time.perf_counter() - started, str(status)
            time.sleep(0.005)
        return time.perf_counter() - started, "unfinished"

    env = {**os.environ, "DATABASE_URL": database_url, "TASKS_BACKEND": "database", "DJANGO_LOG_LEVEL": "ERROR"}
    log_path = Path(tempfile.mkdtemp(prefix="samverkan-bench-")) / "db_worker.log"
    command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", str(args.interval)]
    rnd = random.Random(2026)
    trips: list[float] = []
    views: list[float] = []
    problems: list[str] = []
    with open(log_path, "w") as log:
        worker = subprocess.Popen([*command, "-v0"], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            # Warm-up: the worker's start (imports, first connection) and the view's first request.
            _seconds, status = round_trip(0)
            warm_up = set(DBTaskResult.objects.values_list("pk", flat=True))
            if status != TaskResultStatus.SUCCESSFUL:
                print(f"the worker did not run the first job ({status}); see {log_path}")
                return 2
            median_ms(healthz, 5)
            for number in range(1, args.repeat + 1):
                time.sleep(rnd.uniform(0, args.interval))  # arrive at a random moment of the worker's cycle
                views.append(median_ms(healthz, 3))
                seconds, status = round_trip(number)
                trips.append(seconds * 1000)
                if status != TaskResultStatus.SUCCESSFUL:
                    problems.append(f"job {number}: {status}")
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    rows = list(DBTaskResult.objects.exclude(pk__in=warm_up).exclude(started_at=None).exclude(finished_at=None))
    pickup = statistics.median((row.started_at - row.enqueued_at).total_seconds() * 1000 for row in rows)
    running = statistics.median((row.finished_at - row.started_at).total_seconds() * 1000 for row in rows)
    trip, view = statistics.median(trips), statistics.median(views)
    limit = args.interval * 1000 + VIEWS * view
    ok = trip <= limit
    print(
        f"task round trip: {trip:.0f}ms, trivial view: {view:.1f}ms, ratio={trip / view:.0f} "
        f"(target ≤ {limit / view:.0f}: interval {args.interval * 1000:.0f}ms + {VIEWS} views = {limit:.0f}ms) "
        f"{verdict(ok)}"
    )
    print(
        f"  {engine_name(database_url)}, median of {args.repeat} jobs at random moments, db_worker --interval "
        f"{args.interval:g}; from the job rows: waiting for pickup {pickup:.0f}ms, running {running:.1f}ms "
        f"(medians); slowest round trip {max(trips):.0f}ms"
    )
    log_text = log_path.read_text(errors="replace")
    if "Traceback" in log_text:
        problems.append(f"tracebacks in the worker's log ({log_path})")
    for problem in problems:
        print(f"  BROKEN: {problem}")
    return 2 if problems else 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
