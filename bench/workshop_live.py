"""Workshop live session: 300 phones answer while the big screen follows; then 300 phones follow a step change.

gunicorn serves `samverkan.wsgi` with production settings and the project's gunicorn.conf.py
(several worker processes, so the screen's poll and a phone's answer usually land in different
processes: the transport must not depend on process memory). On a scratch database:

1. Baseline: the server's CPU time per GET /healthz (one query), 300 requests.
2. Answers: 300 simulated phones, each opening /w/<code>/ once (CSRF and participant cookies) and
   posting one answer, spread evenly over --seconds (default
   60 s: the brief's rate, 5 answers a second); --seconds 20 compresses it threefold.
   Meanwhile one screen polls "anything after version N?" once a second, exactly like the real screen
   (hx-trigger="every 1s"), and records when each answer first appears in its list.
   Printed: median and 95th percentile of answer-to-screen delay (from the phone sending the POST to
   the screen's response containing it; goal: median < 1 s), and the server's CPU time per answer
   (all worker processes, the screen's polls included) against the baseline's per request.
3. Step change: 300 phones poll /w/<code>/lage/ every 2 s (as the phone pages do), at random phases;
   the facilitator moves the room (the service call, as the facilitator's POST makes it); printed:
   the time until every phone has seen the change (goal: within a couple of seconds, i.e. ≤ 3 s).

Exit status: 0 goals met, 1 a goal missed, 2 something broke (lost answers, server errors).

    .venv/bin/python bench/workshop_live.py [--postgres] [--seconds 20] [--phones 300] [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, engine_name, free_port, scratch_database, setup_django, verdict

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'data-version="(\d+)"')
MARK_RE = re.compile(r"Svar från telefon (\d+)\b")
CLK = os.sysconf("SC_CLK_TCK")


def _request(port: int, method: str, path: str, *, body: str = "", headers: dict[str, str] | None = None) -> tuple:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response, data
    finally:
        conn.close()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _server_cpu(master: int) -> float:
    """CPU seconds (user + system) of gunicorn's master and its workers so far."""
    pids = [master]
    for task in Path(f"/proc/{master}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        pids += [int(c) for c in children]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK


def _static_up_to_date() -> bool:
    """Production serves hashed static files: collected already, with the workshop's own, and none newer?"""
    import json

    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    paths = json.loads(manifest.read_text()).get("paths", {})
    made = manifest.stat().st_mtime
    sources = [ROOT / "samverkan" / "static", ROOT / "samverkan" / "workshops" / "static"]
    for folder in sources:
        for file in folder.rglob("*"):
            if file.is_file() and (file.relative_to(folder).as_posix() not in paths or file.stat().st_mtime > made):
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=60, help="the 300 answers arrive over this long")
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    args = parser.parse_args()
    secret = secrets.token_urlsafe(50)
    os.environ["DJANGO_SECRET_KEY"] = secret  # the same key as the server, so the screen's session is valid
    database_url = scratch_database("samverkan_bench_workshop", postgres=args.postgres)
    setup_django(database_url)

    from django.test import Client
    from django_scopes import scopes_disabled

    from samverkan.common.factories import MembershipFactory
    from samverkan.tenancy.models import Association, Role
    from samverkan.workshops import services
    from samverkan.workshops.models import Answer, Workshop
    from samverkan.workshops.tests.factories import live_workshop

    with scopes_disabled():
        association = Association.objects.create(name="Benchmarkförbundet", slug="bench", county="Testlän")
        membership = MembershipFactory(association=association, role=Role.ADMIN)
        workshop = live_workshop(association, name="Bänkverkstad")
    admin = Client()
    admin.force_login(membership.user)
    session = {"sessionid": admin.cookies["sessionid"].value}

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    if not _static_up_to_date():
        print("  collectstatic …", flush=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    log_path = Path(tempfile.mkdtemp(prefix="samverkan-bench-")) / "gunicorn.log"
    command = [PYTHON, "-m", "gunicorn", "samverkan.wsgi", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    screen_path = f"/f/{association.slug}/workshop/{workshop.pk}/skarm/nytt/"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            for _ in range(150):
                try:
                    if _request(port, "GET", "/healthz")[0].status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                print("gunicorn did not start; see", log_path)
                return 2
            # Warm every worker: imports, templates, the lemmatiser's dictionary (the screen's first cloud).
            for _ in range(40):
                _request(port, "GET", "/healthz")
                _request(port, "GET", screen_path, headers={"Cookie": _cookie_header(session)})
            time.sleep(8)  # the dictionary loads in a background thread per worker
            for _ in range(40):
                _request(port, "GET", screen_path, headers={"Cookie": _cookie_header(session)})

            print("  server up and warm; baseline …", flush=True)
            # 1. Baseline
            cpu = _server_cpu(server.pid)
            for _ in range(args.phones):
                _request(port, "GET", "/healthz")
            trivial_cpu = (_server_cpu(server.pid) - cpu) / args.phones

            # 2. Answers while the screen polls
            sent_at: dict[int, float] = {}
            seen_at: dict[int, float] = {}
            failures: list[str] = []
            stop = threading.Event()

            def screen() -> None:
                version = -1
                while not stop.is_set():
                    started = time.perf_counter()
                    response, data = _request(
                        port, "GET", f"{screen_path}?v={version}", headers={"Cookie": _cookie_header(session)}
                    )
                    now = time.perf_counter()
                    if response.status == 200:
                        html = data.decode()
                        found = VERSION_RE.search(html)
                        version = int(found.group(1)) if found and "Ordmolnet ritas" not in html else -1
                        for mark in MARK_RE.findall(html):
                            seen_at.setdefault(int(mark), now)
                    elif response.status != 204:
                        failures.append(f"screen {response.status}")
                    time.sleep(max(0.0, 1.0 - (now - started)))

            def phone(number: int) -> None:
                try:
                    response, data = _request(port, "GET", f"/w/{workshop.code}/")
                    jar = _cookies(response)
                    csrf = CSRF_RE.search(data.decode())
                    prompt = re.search(r'name="prompt" value="(\d+)"', data.decode())
                    if response.status != 200 or not csrf or not prompt:
                        failures.append(f"phone page {response.status}")
                        return
                    body = urllib.parse.urlencode(
                        {
                            "csrfmiddlewaretoken": csrf.group(1),
                            "prompt": prompt.group(1),
                            "text": f"Svar från telefon {number} om korta kontaktvägar och individens behov",
                        }
                    )
                    sent_at[number] = time.perf_counter()
                    response, _data = _request(
                        port,
                        "POST",
                        f"/w/{workshop.code}/svar/",
                        body=body,
                        headers={
                            "Content-Type": "application/x-www-form-urlencoded",
                            "Cookie": _cookie_header(jar),
                        },
                    )
                    if response.status != 302:
                        failures.append(f"answer {response.status}")
                        sent_at.pop(number, None)
                except OSError as error:
                    failures.append(f"phone {error}")

            print("  phones answering …", flush=True)
            watcher = threading.Thread(target=screen, daemon=True)
            watcher.start()
            cpu = _server_cpu(server.pid)
            started = time.perf_counter()
            threads = []
            for number in range(args.phones):
                due = started + number * args.seconds / args.phones
                time.sleep(max(0.0, due - time.perf_counter()))
                thread = threading.Thread(target=phone, args=(number,), daemon=True)
                thread.start()
                threads.append(thread)
            for thread in threads:
                thread.join(60)
            deadline = time.perf_counter() + 10
            while len(seen_at) < len(sent_at) and time.perf_counter() < deadline:
                time.sleep(0.1)
            stop.set()
            watcher.join(10)
            answer_cpu = (_server_cpu(server.pid) - cpu) / max(1, len(sent_at))
            elapsed = time.perf_counter() - started

            # 3. Step change followed by 300 polling phones
            with scopes_disabled():
                room = Workshop.objects.get(pk=workshop.pk).room_version
            changed_at: list[float] = []
            followed: dict[int, float] = {}
            poll_stop = threading.Event()

            def poller(number: int) -> None:
                time.sleep(random.uniform(0, 2))  # phases, not secrets
                while not poll_stop.is_set():
                    tick = time.perf_counter()
                    try:
                        response, _data = _request(port, "GET", f"/w/{workshop.code}/lage/?r={room}")
                    except OSError as error:
                        failures.append(f"poll {error}")
                        return
                    if response.status == 200 and changed_at:
                        followed[number] = time.perf_counter()
                        return
                    if response.status not in (200, 204):
                        failures.append(f"poll {response.status}")
                    time.sleep(max(0.0, 2.0 - (time.perf_counter() - tick)))

            print("  step change …", flush=True)
            pollers = [threading.Thread(target=poller, args=(n,), daemon=True) for n in range(args.phones)]
            for thread in pollers:
                thread.start()
            time.sleep(5)  # every phone polling at its own phase
            with scopes_disabled():
                changed_at.append(time.perf_counter())
                services.workshop_set_step(workshop=Workshop.objects.get(pk=workshop.pk), step="themes")
            deadline = time.perf_counter() + 20
            while len(followed) < args.phones and time.perf_counter() < deadline:
                time.sleep(0.05)
            poll_stop.set()
        finally:
            server.terminate()
            server.wait(timeout=30)

    log_text = log_path.read_text(errors="replace")
    with scopes_disabled():
        stored = Answer.objects.filter(prompt__workshop=workshop).count()
    delays = sorted(seen_at[n] - sent_at[n] for n in sent_at if n in seen_at)
    median = statistics.median(delays) if delays else float("inf")
    p95 = delays[int(0.95 * (len(delays) - 1))] if delays else float("inf")
    follow = max(followed.values()) - changed_at[0] if len(followed) == args.phones else float("inf")
    ratio = answer_cpu / trivial_cpu if trivial_cpu else float("inf")
    print(
        f"answer to screen: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {len(delays)} answers "
        f"(goal: median < 1 s) {verdict(median < 1.0)}"
    )
    print(
        f"server CPU per answer {answer_cpu * 1000:.1f} ms (screen polls included) vs trivial view "
        f"{trivial_cpu * 1000:.1f} ms per request: ratio {ratio:.1f}"
    )
    print(
        f"step change: all {len(followed)}/{args.phones} phones followed within {follow:.2f} s "
        f"(polling every 2 s; goal ≤ 3 s) {verdict(follow <= 3.0)}"
    )
    load1, load5, _load15 = os.getloadavg()
    print(f"  machine load average {load1:.1f} (1 min), {load5:.1f} (5 min) on {os.cpu_count()} cores")
    print(
        f"  {engine_name(database_url)}, gunicorn {args.workers or 'gunicorn.conf.py'} workers, "
        f"{args.phones} phones over {elapsed:.0f} s (scheduled over {args.seconds:g} s; the brief: a minute)"
    )
    broken = []
    if stored != len(sent_at):
        broken.append(f"{len(sent_at)} answers accepted, {stored} stored")
    if failures:
        broken.append(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    if "Traceback" in log_text or "database is locked" in log_text:
        broken.append(f"server errors, see {log_path}")
    if broken:
        print("BROKEN: " + "; ".join(broken))
        return 2
    return 0 if median < 1.0 and follow <= 3.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
