"""Deploying new code restarts gunicorn without dropping a request (bin/gunicorn-reload, `make reload`).

A real gunicorn with the project's gunicorn.conf.py on a free loopback port, a few
clients sending requests all the time (each on a new connection, as browsers behind a
proxy do), and the documented restart in the middle: every request must succeed.
Bounded to about half a minute; most of it is two starts of the app (scipy).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RELOAD = ROOT / "bin" / "gunicorn-reload"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class Server:
    port: int
    pidfile: Path
    process: subprocess.Popen[bytes]


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Server]:
    port = _free_port()
    pidfile = tmp_path / "gunicorn.pid"
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("PYTEST_CURRENT_TEST", None)
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # /healthz asks the database; an empty SQLite file answers SELECT 1 without migrations.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_PIDFILE": str(pidfile),
    }
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [str(GUNICORN), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    server = Server(port, pidfile, process)
    try:
        deadline = time.monotonic() + 60  # two shared cores may be busy with other work
        while _get(port) != 200:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield server
    finally:
        for pid in {_read_pid(pidfile), _read_pid(Path(f"{pidfile}.2")), process.pid} - {None}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)  # type: ignore[arg-type]
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        # The new master is not our child: wait for it (and its workers, same group) to end.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _get(port: int, path: str = "/healthz") -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


@dataclass
class Load:
    port: int
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self) -> None:
        while not self.stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                body = response.read()
                outcome = None if response.status == 200 and b'"ok"' in body else f"HTTP {response.status}"
            except OSError as error:
                outcome = repr(error)
            finally:
                connection.close()
            with self.lock:
                if outcome is None:
                    self.ok += 1
                else:
                    self.failures.append(outcome)


def test_documented_restart_drops_no_request_under_load(gunicorn: Server) -> None:
    old_master = _read_pid(gunicorn.pidfile)
    assert old_master == gunicorn.process.pid
    load = Load(gunicorn.port)
    threads = [threading.Thread(target=load.client, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    served_before = load.ok

    reload = subprocess.run(
        [sys.executable, str(RELOAD), str(gunicorn.pidfile), "--timeout", "45"],
        capture_output=True,
        text=True,
        timeout=100,
    )
    served_during = load.ok - served_before
    time.sleep(1)
    load.stop.set()
    for thread in threads:
        thread.join(timeout=15)

    assert reload.returncode == 0, reload.stdout + reload.stderr
    new_master = _read_pid(gunicorn.pidfile)
    assert new_master is not None and new_master != old_master
    assert not _alive(old_master)
    assert _alive(new_master)
    assert served_before > 0 and served_during > 0
    assert load.failures == [], f"{len(load.failures)} of {load.ok + len(load.failures)} failed: {load.failures[:5]}"
    assert _get(gunicorn.port) == 200
