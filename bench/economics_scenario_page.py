"""The scenario results page's figures vs the calculation they arrange: target ratio ≤ 1.5.

`scenario_results` (samverkan/economics/scenario_results.py) is what the results page and the PDF read:
it checks the stored scenario (scenario_check: every field, in the parser's words), runs `calc.calculate`
(the deterministic result, a 10,000-draw Monte Carlo and the tornado), the one-year result, the
who-invests-who-gains matrix and both SVG charts. The baseline is `calc.calculate` alone on the same
scenario (bench/economics_montecarlo.py's: ten years, four investments, six outcomes, 15 ranges), in
interleaved rounds so that a busy machine slows both alike. The page runs in the request, not as a long
job, as long as the ratio holds and the Monte Carlo itself stays well under a second (its own benchmark).

    .venv/bin/python bench/economics_scenario_page.py [--draws 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402 — after the path is set

django.setup()

from bench.common import verdict  # noqa: E402
from bench.economics_montecarlo import scenario  # noqa: E402
from samverkan.economics import calc  # noqa: E402
from samverkan.economics.scenario_results import scenario_results  # noqa: E402

TARGET = 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = scenario(args.draws)
    stored = SimpleNamespace(data=data)  # the page reads only the scenario's object
    kpi = {int(year): value for year, value in data["kpi"].items()}
    results = scenario_results(stored, kpi_table=kpi)  # warm-up, and a check that it calculates
    if not results.ok or not results.tornado or "<svg" not in results.cumulative_svg:
        print("ERROR: the scenario's results page did not calculate:", results.errors)
        return 2
    page, alone = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        calc.calculate(calc.parse_scenario(data, kpi_table=kpi))
        alone.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        scenario_results(stored, kpi_table=kpi)
        page.append((time.perf_counter() - started) * 1000)
    page_ms, alone_ms = statistics.median(page), statistics.median(alone)
    ratio = page_ms / alone_ms
    print(f"scenario results page, {args.draws} draws, median of {args.repeat} interleaved rounds")
    print(f"  calc.calculate alone (baseline): {alone_ms:8.1f} ms")
    print(f"  scenario_results (the page):     {page_ms:8.1f} ms")
    print(f"  ratio page / calculate: {ratio:.2f} (target ≤ {TARGET}) {verdict(ratio <= TARGET)}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
