"""Shared set-up for the benchmarks: a scratch database, Django, and small helpers.

Each benchmark prints a ratio against a baseline measured in the same run on
the same machine, so the figure means something on a shared 2-core box.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    """The PostgreSQL server of DATABASE_URL when it names one (else postgres@127.0.0.1:5432), database postgres."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://", "pgsql://")):
        base = DEFAULT_POSTGRES
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


def scratch_database(name: str, *, postgres: bool) -> str:
    """A fresh database URL: a temp SQLite file, or a recreated PostgreSQL database.

    With --postgres the server, user and password come from DATABASE_URL when it
    names a PostgreSQL database (else postgres@127.0.0.1:5432); the benchmark then
    drops and recreates its own database `name` there, never the one in the URL.
    """
    if postgres:
        admin = postgres_admin_url()
        netloc = urllib.parse.urlsplit(admin).netloc
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-qc", sql], check=True)
        return urllib.parse.urlunsplit(("postgres", netloc, f"/{name}", "", ""))
    folder = tempfile.mkdtemp(prefix="samverkan-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # the 100k database is ~400 MB
    return f"sqlite:///{folder}/{name}.sqlite3"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def engine_name(database_url: str) -> str:
    return "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"


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
