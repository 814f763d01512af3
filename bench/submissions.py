"""Submissions per second through the production server vs a trivial view on the same server: target ≥ 0.3.

gunicorn serves the app with production settings (DEBUG off) on a scratch
database. The baseline is /healthz (one query). A submission is what a
respondent does: GET the anonymous link (CSRF cookie, form, one-time key),
then POST the answers; it counts when the server redirects to the thanks page.
Afterwards the number of stored responses must equal the successful submissions.

    .venv/bin/python bench/submissions.py [--postgres] [--seconds 15] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, free_port, scratch_database, setup_django, verdict

TARGET = 0.3


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _answers() -> dict[str, str]:
    fields = {}
    for level in ("personal", "team", "organisation", "society"):
        fields[f"ring_{level}"] = str(secrets.choice([2, 3, 4]))
        fields[f"ring_{level}_target"] = "5"
    for prefix in ("strat", "indiv", "fordj"):
        for n in range(1, 5):
            fields[f"{prefix}_{n}"] = str(secrets.choice([3, 4, 5]))
    return fields


def open_form(port: int, token: str) -> tuple[dict[str, str], str, str] | None:
    """What a respondent's browser does first: GET the link; returns (cookies, csrf token, submission key)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    jar: dict[str, str] = {}
    conn.request("GET", f"/svara/{token}/")
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    _cookies(response, jar)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    if response.status != 200 or not csrf or not key:
        return None
    return jar, csrf.group(1), key.group(1)


def post_answers(port: int, token: str, jar: dict[str, str], csrf: str, key: str) -> bool:
    """The submission itself: POST the answers; counts when the server redirects to the thanks page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **_answers()}
    )
    conn.request(
        "POST",
        f"/svara/{token}/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar)},
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status in (302, 303) and "svara-tack" in (response.getheader("Location") or "")


def respondent_once(port: int, token: str) -> bool:
    """A whole respondent: open the form, then submit it."""
    opened = open_form(port, token)
    return opened is not None and post_answers(port, token, *opened)


_local = threading.local()


def submission_once(port: int, token: str) -> bool:
    """One submission by a client that already holds the form (its CSRF cookie); each with a new one-time key."""
    if not hasattr(_local, "form"):
        _local.form = open_form(port, token)
    if _local.form is None:
        return False
    jar, csrf, _key = _local.form
    return post_answers(port, token, jar, csrf, secrets.token_urlsafe(24))


def trivial_once(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status == 200


def load(action, seconds: float, clients: int) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    ok = failed = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal ok, failed
        while time.perf_counter() < stop:
            try:
                success = action()
            except OSError:
                success = False
            with lock:
                if success:
                    ok += 1
                else:
                    failed += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ok / (time.perf_counter() - started), ok, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    # gunicorn's own rule of thumb for sync workers: 2 × cores + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn gthread threads per worker")
    args = parser.parse_args()
    database_url = scratch_database("samverkan_bench_submit", postgres=args.postgres)
    setup_django(database_url)

    from django.utils import timezone

    from samverkan.measure import services
    from samverkan.measure.models import CampaignLink, Instrument, Response
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
    # Production serves hashed static files: collect them first, as `make serve` does.
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    log = open(Path(tempfile.gettempdir()) / "samverkan-bench-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "samverkan.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(100):
            try:
                if trivial_once(port):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            print("gunicorn did not start")
            return 2
        load(lambda: trivial_once(port), 2, args.clients)  # warm up
        baseline, _, baseline_failed = load(lambda: trivial_once(port), args.seconds, args.clients)
        rate, submitted, failed = load(lambda: submission_once(port, token), args.seconds, args.clients)
        flow_rate, flow_submitted, flow_failed = load(lambda: respondent_once(port, token), args.seconds, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    stored = Response.objects.filter(campaign=campaign).count()
    ratio = rate / baseline if baseline else 0.0
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"submissions ({engine}, gunicorn {args.workers}×{args.threads} threads, {args.clients} clients): "
        f"{rate:.1f}/s, "
        f"trivial view: {baseline:.1f}/s, ratio={ratio:.2f} (target ≥ {TARGET:g}) {verdict(ratio >= TARGET)}"
    )
    print(
        f"  whole respondent (GET form + POST): {flow_rate:.1f}/s, ratio={flow_rate / baseline:.2f} (for information)"
    )
    print(
        f"  submitted={submitted}+{flow_submitted} failed={failed}+{flow_failed} stored={stored} "
        f"baseline_failed={baseline_failed}"
    )
    submitted += flow_submitted
    if stored != submitted:
        print("  MISMATCH: stored responses differ from successful submissions")
        return 1
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
