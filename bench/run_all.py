"""Run every benchmark; exit non-zero if any target is missed.

make bench                                      # SQLite scratch databases
.venv/bin/python bench/run_all.py --postgres    # PostgreSQL (server from DATABASE_URL if set)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("results_page.py", "submissions.py")


def main() -> int:
    extra = sys.argv[1:]
    outcomes = {}
    for script in SCRIPTS:
        print(f"== {script} {' '.join(extra)}".rstrip(), flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / script), *extra], check=False).returncode
        outcomes[script] = code
        print(f"   ({time.perf_counter() - started:.0f} s, exit {code})", flush=True)
    missed = [script for script, code in outcomes.items() if code]
    print("all targets met" if not missed else f"target missed or error: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
