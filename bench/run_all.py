"""Run every benchmark; exit non-zero if a target is missed.

make bench                                      # SQLite, and PostgreSQL when a server answers
.venv/bin/python bench/run_all.py --sqlite-only # only the embedded database

PostgreSQL is the production database (README, "Deploying"); its server comes
from DATABASE_URL when that names one, else postgres@127.0.0.1:5432. Every
target is checked on it. On SQLite, the embedded database of `make demo`, the
results-page, invitation and task round-trip targets are checked too, and the
submission rate is printed for information: SQLite lets one writer in at a
time, so several server processes taking answers wait for each other there (see
README, "Benchmarks"). A broken run (exit 2) of any benchmark fails.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import postgres_admin_url  # noqa: E402 — after the path is set


def postgres_reachable() -> bool:
    try:
        done = subprocess.run(
            ["psql", postgres_admin_url(), "-Atqc", "SELECT 1"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def main() -> int:
    runs: list[tuple[str, list[str], bool]] = [
        ("results_page.py", [], True),
        ("submissions.py", [], False),  # SQLite: for information
        ("invitations.py", [], True),  # the request stores the list and starts one job: ratio ≤ 2
        ("task_roundtrip.py", [], True),
        ("participant_import.py", [], True),
        ("themes.py", [], True),  # pure: no database, measured once
        ("network_metrics.py", [], True),  # pure: no database, measured once
        ("directory_search.py", [], True),  # pure: the search without PostgreSQL, measured once
        ("workshop_live.py", [], True),
        ("economics_montecarlo.py", [], True),  # pure: no database, measured once
        ("economics_integration.py", [], True),  # each round's results read once per page
        ("economics_scenario_page.py", [], True),  # no database: the results page's figures vs calculate
    ]
    if "--sqlite-only" not in sys.argv:
        if postgres_reachable():
            runs += [
                ("results_page.py", ["--postgres"], True),
                ("submissions.py", ["--postgres"], True),
                ("invitations.py", ["--postgres"], True),
                ("task_roundtrip.py", ["--postgres"], True),
                ("participant_import.py", ["--postgres"], True),
                ("workshop_live.py", ["--postgres"], True),
                ("economics_integration.py", ["--postgres"], True),
            ]
        else:
            print("PostgreSQL does not answer: only SQLite is measured (the submission target is PostgreSQL's).")
    outcomes = []
    for script, extra, judged in runs:
        print(f"== {script} {' '.join(extra)}".rstrip(), flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / script), *extra], check=False).returncode
        print(f"   ({time.perf_counter() - started:.0f} s, exit {code}{'' if judged else ', for information'})")
        outcomes.append((f"{script} {' '.join(extra)}".strip(), code, judged))
    # A run for information may miss its target (exit 1), never break (exit 2: errors, lost answers).
    missed = [name for name, code, judged in outcomes if (code and judged) or code >= 2]
    print("all targets met" if not missed else f"target missed or error: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
