"""Submissions per second through the production server vs a trivial view on the same server: target ≥ 0.3.

gunicorn serves `samverkan.wsgi` with production settings (DEBUG off, hashed
static files, the project's gunicorn.conf.py) on a scratch database. The
baseline is GET /healthz (one query). A submission is the POST that sends a
filled-in questionnaire: it counts when the server redirects to the thanks
page. Each client thread first opens the form once (CSRF cookie, device
cookie) and then sends answers under a new one-time key each time, so every
POST does the full work of a new respondent's submission (CSRF check, link,
validation, the exactly-once write, dropping the draft).

Printed beside it, for information: a whole respondent, i.e. GET the form and
then POST it (two requests against the baseline's one).

Baseline, submissions and whole respondents run with the same number of
concurrent clients, interleaved in rounds so that noise on a shared machine
hits all three. Afterwards the number of stored responses must equal the
successful submissions (exactly once), and the server log must be free of
errors (SQLite: "database is locked"). Exit status: 0 target met, 1 target
missed, 2 something broke (errors, lost or doubled answers).

    .venv/bin/python bench/submissions.py [--postgres] [--workers N] [--threads 1]
                                          [--clients 8] [--seconds 6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, engine_name, free_port, scratch_database, setup_django, verdict

TARGET = 0.3
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def _answers() -> dict[str, str]:
    """A plausible filled-in core questionnaire (20 scale answers, one free text now and then)."""
    fields = {}
    for level in ("personal", "team", "organisation", "society"):
        fields[f"ring_{level}"] = str(secrets.choice([2, 3, 4]))
        fields[f"ring_{level}_target"] = str(secrets.choice([4, 5]))
    for prefix in ("strat", "indiv", "fordj"):
        for n in range(1, 5):
            fields[f"{prefix}_{n}"] = str(secrets.choice([3, 4, 5, 9]))
    if secrets.randbelow(10) == 0:
        fields["open_meaning"] = "Att vi pratar med varandra innan vi fattar beslut."
    return fields


def open_form(port: int, token: str) -> tuple[dict[str, str], str, str] | None:
    """What a respondent's browser does first: GET the link; returns (cookies, csrf token, submission key)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", f"/svara/{token}/")
        response = conn.getresponse()
        html = response.read().decode()
    finally:
        conn.close()
    jar: dict[str, str] = {}
    _cookies(response, jar)
    csrf = CSRF_RE.search(html)
    key = KEY_RE.search(html)
    if response.status != 200 or not csrf or not key or "csrftoken" not in jar:
        return None
    return jar, csrf.group(1), key.group(1)


def post_answers(port: int, token: str, jar: dict[str, str], csrf: str, key: str) -> bool:
    """The submission itself: POST the answers; counts when the server redirects to the thanks page."""
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **_answers()}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", f"/svara/{token}/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status in (302, 303) and "/svara-tack/" in (response.getheader("Location") or "")


def respondent_once(port: int, token: str) -> bool:
    """One submission as the brief defines it: open the form, then send it."""
    opened = open_form(port, token)
    return opened is not None and post_answers(port, token, *opened)


_local = threading.local()


def post_only_once(port: int, token: str) -> bool:
    """The POST alone, by a client that already holds a form (its CSRF cookie); a new one-time key each time."""
    if not hasattr(_local, "form"):
        _local.form = open_form(port, token)
    if _local.form is None:
        return False
    jar, csrf, _key = _local.form
    return post_answers(port, token, jar, csrf, secrets.token_urlsafe(24))


def trivial_once(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status == 200


def static_up_to_date() -> bool:
    """True when STATIC_ROOT's manifest lists every file of the project's static folder and is newer than each."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    paths = json.loads(manifest.read_text()).get("paths", {})
    made = manifest.stat().st_mtime
    for folder in map(Path, settings.STATICFILES_DIRS):
        for file in folder.rglob("*"):
            if file.is_file() and (file.relative_to(folder).as_posix() not in paths or file.stat().st_mtime > made):
                return False
    return True


def single_client_latency(port: int, token: str, repeat: int = 30) -> dict[str, float]:
    """Median milliseconds of each request with one client and an idle server (where the time goes)."""
    timings: dict[str, list[float]] = {"healthz": [], "GET form": [], "POST": []}
    for _ in range(repeat):
        started = time.perf_counter()
        trivial_once(port)
        timings["healthz"].append(time.perf_counter() - started)
        started = time.perf_counter()
        opened = open_form(port, token)
        timings["GET form"].append(time.perf_counter() - started)
        if opened is None:
            continue
        started = time.perf_counter()
        _local.single = post_answers(port, token, *opened)
        timings["POST"].append(time.perf_counter() - started)
        _local.single_ok = getattr(_local, "single_ok", 0) + int(_local.single)
    return {name: statistics.median(values) * 1000 for name, values in timings.items() if values}


class Tally:
    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0
        self.seconds = 0.0
        self.client_cpu = 0.0  # CPU seconds the load generator itself spent
        self.busy = 0.0  # busy share of the whole machine (all cores), from /proc/stat

    @property
    def client_share(self) -> float:
        """Share of one core the load generator used (1.0: it may be what limits the rate)."""
        return self.client_cpu / self.seconds if self.seconds else 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far; (0, 0) where /proc/stat is missing."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def load(action: Callable[[], bool], seconds: float, clients: int, tally: Tally) -> None:
    """`clients` threads call `action` back to back for `seconds`; adds to `tally`."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < stop:
            try:
                success = action()
            except (OSError, http.client.HTTPException):
                success = False
            with lock:
                if success:
                    tally.ok += 1
                else:
                    tally.failed += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started, cpu, machine = time.perf_counter(), time.process_time(), _machine_ticks()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    window = time.perf_counter() - started
    busy, total = (after - before for after, before in zip(_machine_ticks(), machine, strict=True))
    tally.busy = (tally.busy * tally.seconds + (busy / total if total else 0.0) * window) / (tally.seconds + window)
    tally.seconds += window
    tally.client_cpu += time.process_time() - cpu


def _configured_workers() -> int:
    namespace: dict[str, object] = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    return int(namespace["workers"])  # type: ignore[call-overload]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL if set)")
    parser.add_argument("--seconds", type=float, default=6, help="length of one measuring window")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved baseline/submission windows")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py, as `make serve`)"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (>1: gthread)")
    args = parser.parse_args()
    database_url = scratch_database("samverkan_bench_submit", postgres=args.postgres)
    setup_django(database_url)
    from django_scopes import scopes_disabled

    # The benchmark's own set-up and reads span its association; each request it times scopes itself.
    with scopes_disabled():
        return _measure(args, database_url)


def _measure(args: argparse.Namespace, database_url: str) -> int:

    from django.utils import timezone

    from samverkan.measure import services
    from samverkan.measure.models import CampaignLink, Instrument, PendingResponse, Receipt, Response
    from samverkan.tenancy.models import Association

    association = Association.objects.create(name="Benchmarkförbundet", slug="bench", county="Testlän")
    today = timezone.localdate()
    campaign = services.campaign_create(
        association=association,
        name="Bench",
        instrument=Instrument.objects.get(association=None, name="Integrerad samverkan", version=1),
        respondent_groups=["staff"],
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )
    token = CampaignLink.objects.get(campaign=campaign).token

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    # Production serves hashed static files: collect them first, as `make serve` does (unless up to date).
    if not static_up_to_date():
        started = time.perf_counter()
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        print(f"  collectstatic: {time.perf_counter() - started:.0f} s", flush=True)
    log_path = Path(tempfile.mkdtemp(prefix="samverkan-bench-")) / "gunicorn.log"
    command = [PYTHON, "-m", "gunicorn", "samverkan.wsgi", "--bind", f"127.0.0.1:{port}"]
    # gunicorn reads the project's gunicorn.conf.py from ROOT, as in production (`make serve`).
    command += ["--threads", str(args.threads), "--log-level", "warning"]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    workers = args.workers or _configured_workers()
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        baseline, flow, post_only, warm = Tally(), Tally(), Tally(), Tally()
        try:
            for _ in range(150):
                try:
                    if trivial_once(port):
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                print("gunicorn did not start; see", log_path)
                return 2
            # Warm up every worker: imports, templates, the cached questionnaire.
            load(lambda: trivial_once(port), 1.5, args.clients, Tally())
            load(lambda: respondent_once(port, token), 2, args.clients, warm)
            for _ in range(args.rounds):
                load(lambda: trivial_once(port), args.seconds, args.clients, baseline)
                load(lambda: post_only_once(port, token), args.seconds, args.clients, post_only)
                load(lambda: respondent_once(port, token), args.seconds, args.clients, flow)
            latency = single_client_latency(port, token)
        finally:
            server.terminate()
            server.wait(timeout=30)
    log_text = log_path.read_text(errors="replace")
    locked = log_text.count("database is locked")
    tracebacks = log_text.count("Traceback")

    submitted = warm.ok + flow.ok + post_only.ok + getattr(_local, "single_ok", 0)
    # Published responses and those still waiting (sealed) for their group's batch.
    stored = (
        Response.objects.filter(campaign=campaign).count() + PendingResponse.objects.filter(campaign=campaign).count()
    )
    receipts = Receipt.objects.filter(campaign=campaign).count()
    ratio = post_only.rate / baseline.rate if baseline.rate else 0.0
    flow_ratio = flow.rate / baseline.rate if baseline.rate else 0.0
    ok = ratio >= TARGET
    server_desc = f"gunicorn {workers} worker(s) × {args.threads} thread(s)"
    print(
        f"submissions: {post_only.rate:.1f}/s, trivial view: {baseline.rate:.1f}/s, ratio={ratio:.2f} "
        f"(target ≥ {TARGET:g}) {verdict(ok)}"
    )
    print(
        f"  {engine_name(database_url)}, {server_desc}, {args.clients} clients, "
        f"{args.rounds}×{args.seconds:g} s per side, interleaved"
    )
    print(f"  whole respondent (GET form + POST): {flow.rate:.1f}/s, ratio={flow_ratio:.2f} (for information)")
    print(
        f"  successful submissions={submitted} (warm-up {warm.ok}) stored responses={stored} receipts={receipts} "
        f"failed requests: submissions={warm.failed + flow.failed + post_only.failed} trivial={baseline.failed}"
    )
    print(
        "  load generator's share of one core: "
        f"trivial {baseline.client_share:.0%}, submissions {post_only.client_share:.0%}, "
        f"whole respondents {flow.client_share:.0%}; machine busy: trivial {baseline.busy:.0%}, "
        f"submissions {post_only.busy:.0%}, whole respondents {flow.busy:.0%}"
    )
    print("  one client, idle server (median): " + ", ".join(f"{k} {v:.1f} ms" for k, v in latency.items()))
    broken = False
    if locked or tracebacks:
        print(f"  server log: {locked}× 'database is locked', {tracebacks} tracebacks ({log_path})")
        broken = True
    if stored != submitted or receipts != submitted:
        print("  MISMATCH: stored responses differ from successful submissions (exactly-once broken)")
        broken = True
    # Exit 2: something is wrong, whatever the rate; 1: only the target was missed.
    return 2 if broken else 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
