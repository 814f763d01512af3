"""Shared set-up for the benchmarks: a scratch database, Django, and small helpers.

Each benchmark prints a ratio against a baseline measured in the same run on
the same machine, so the figure means something on a shared 2-core box.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def scratch_database(name: str, *, postgres: bool) -> str:
    """A fresh database URL: a temp SQLite file, or a recreated PostgreSQL database."""
    if postgres:
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        return url
    folder = tempfile.mkdtemp(prefix="samverkan-bench-")
    return f"sqlite:///{folder}/{name}.sqlite3"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"
