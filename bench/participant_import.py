"""Importing 100,000 participant rows vs 10,000: target ratio ≤ 12, for the check and for the write.

The import reads the file as a stream (import_file.py: CSV decoded in chunks, XLSX through openpyxl's
read-only parser), checks each row, and compares the rows with the register a batch of 2,000 at a time; the
write reads the file again and stores each batch with bulk inserts, all in one transaction. Nothing keeps the
file as Python objects per cell: what grows with the rows is one small dictionary entry per participation
(the in-file duplicate check: intervention and code, and the identity-number hash where one is given).

Measured on a scratch database, through the service the page and the command call:
- check: `participant_import_check` (reads and checks everything, writes nothing);
- import: `participant_import_run` (checks everything again inside the transaction, then writes).
Each size imports into interventions of its own, so every row is new. The file is a CSV as Excel saves it
(Windows-1252, `;`, CRLF): 10 % anonymous rows, 20 % with a personal identity number, spread over five
interventions. Peak memory is measured in separate passes under tracemalloc (Python allocations), so the
timed passes run at full speed; the process's peak resident size is printed too.

    .venv/bin/python bench/participant_import.py [--postgres] [--large 100000] [--small 10000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import engine_name, scratch_database, setup_django, verdict

TARGET = 12.0
TODAY = datetime.date(2026, 12, 1)
INTERVENTIONS = 5


def personnummer(n: int) -> str:
    """A valid personal identity number (Luhn check digit), different for every n < 15,000,000."""
    day = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 900)
    serial = 100 + n % 900
    digits = f"{day:%y%m%d}{serial:03d}"
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    check = (10 - total % 10) % 10
    return f"{day:%Y%m%d}-{serial:03d}{check}"


def write_file(path: Path, rows: int, prefix: str) -> None:
    from samverkan.interventions.import_rows import COLUMNS

    genders = ("kvinna", "man", "annat", "uppgift saknas")
    ages = ("16–19", "20–24", "25–29", "30–39", "40–49", "50–64")
    incomes = ("försörjningsstöd", "a-kassa", "sjukpenning/rehabiliteringspenning", "aktivitetsstöd", "lön/anställning")
    with open(path, "w", encoding="cp1252", newline="") as file:
        file.write(";".join(COLUMNS) + "\r\n")
        for n in range(rows):
            insats = f"{prefix}-{n % INTERVENTIONS}"
            start = datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 500)
            end = start + datetime.timedelta(days=60 + n % 120)
            ended = end <= TODAY and n % 3 != 0
            gender, age, income = genders[n % 4], ages[n % 6], incomes[n % 5]
            income_end = incomes[(n + 2) % 5] if ended else ""
            if n % 10 == 0:  # anonymous: no consent, no code
                cells = [
                    insats,
                    "",
                    "",
                    gender,
                    age,
                    start.isoformat(),
                    end.isoformat() if ended else "",
                    "",
                    income,
                    income_end,
                    "",
                    "",
                    "",
                ]
            else:
                cells = [
                    insats,
                    f"K{n:07d}",
                    start.isoformat(),
                    gender,
                    age,
                    start.isoformat(),
                    end.isoformat() if ended else "",
                    "gymnasial",
                    income,
                    income_end,
                    "arbete" if ended else "",
                    "",
                    personnummer(n) if n % 5 == 1 else "",
                ]
            file.write(";".join(cells) + "\r\n")


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def traced(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL if set)")
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    database_url = scratch_database("samverkan_bench_participants", postgres=args.postgres)
    setup_django(database_url)

    from django_scopes import scope

    from samverkan.interventions.models import AnonymousParticipation, Intervention, Participant
    from samverkan.interventions.participant_import import participant_import_check, participant_import_run
    from samverkan.tenancy.models import Association

    association = Association.objects.create(name="Benchmarkförbundet", slug="bench", county="Testlän")
    folder = Path(tempfile.mkdtemp(prefix="samverkan-bench-import-"))
    results: dict[int, dict[str, float]] = {}
    broken: list[str] = []
    with scope(association=association):
        for rows in (args.small, args.large):
            figures: dict[str, float] = {}
            for run_name in ("timed", "traced"):
                prefix = f"{run_name}{rows}"
                for index in range(INTERVENTIONS):
                    Intervention.objects.create(
                        association=association,
                        name=f"{prefix}-{index}",
                        code=f"{prefix}-{index}",
                        start=datetime.date(2024, 1, 1),
                    )
                path = folder / f"{prefix}.csv"
                write_file(path, rows, prefix)
                figures["megabytes"] = path.stat().st_size / 1e6

                def check(path: Path = path) -> Any:
                    with open(path, "rb") as file:
                        return participant_import_check(association=association, file=file, today=TODAY)

                def run(path: Path = path) -> Any:
                    with open(path, "rb") as file:
                        return participant_import_run(
                            association=association, file=file, purpose="Uppföljning", today=TODAY
                        )

                if run_name == "timed":
                    figures["check_s"], checked = timed(check)
                    if not checked.ok:
                        print(f"BROKEN: {rows} rows refused: {checked.messages()[:3]}")
                        return 2
                    figures["import_s"], written = timed(run)
                    if not written.written:
                        broken.append(f"{rows} rows: not written")
                    stored = Participant.objects.filter(intervention__name__startswith=prefix + "-").count()
                    anonymous = sum(
                        AnonymousParticipation.objects.filter(intervention__name__startswith=prefix + "-").values_list(
                            "count", flat=True
                        )
                    )
                    if stored + anonymous != rows:
                        broken.append(f"{rows} rows: {stored} participants + {anonymous} anonymous stored")
                else:
                    figures["check_peak_mb"] = traced(check) / 1e6
                    figures["import_peak_mb"] = traced(run) / 1e6
            results[rows] = figures
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()

    small, large = results[args.small], results[args.large]
    check_ratio = large["check_s"] / small["check_s"]
    import_ratio = large["import_s"] / small["import_s"]
    ok = check_ratio <= TARGET and import_ratio <= TARGET
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"participant import, {engine_name(database_url)}, CSV (Windows-1252, ;):")
    for rows, figures in results.items():
        print(
            f"  {rows:>7,} rows ({figures['megabytes']:.1f} MB): check {figures['check_s']:.2f} s "
            f"(peak {figures['check_peak_mb']:.1f} MB), import {figures['import_s']:.2f} s "
            f"(peak {figures['import_peak_mb']:.1f} MB)".replace(",", " ")
        )
    print(f"  process peak resident size {rss:.0f} MB")
    print(
        f"  ratio {args.large:,}/{args.small:,}: check {check_ratio:.1f}, import {import_ratio:.1f} "
        f"(target ≤ {TARGET:g}) {verdict(ok)}".replace(",", " ")
    )
    for problem in broken:
        print(f"  BROKEN: {problem}")
    return 2 if broken else 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    raise SystemExit(main())
