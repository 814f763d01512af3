"""Run every benchmark; exit non-zero if any target is missed.

make bench                       # SQLite
.venv/bin/python bench/run_all.py --postgres
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    extra = sys.argv[1:]
    failed = 0
    for script in ("results_page.py", "submissions.py"):
        print(f"== {script} {' '.join(extra)}", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / script), *extra], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
