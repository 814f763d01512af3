"""The directory's typo-tolerant search without PostgreSQL (samverkan/network/directory_text.py): 500 services
vs 50, growth against n, target ≤ 1.5 × linear growth.

On SQLite "Vem ringer jag?" scores every active service of the association in Python (prefix, word-form and
difflib matching), so its cost must grow no worse than the number of services: ratio = (time at 500 / time
at 50) / (500/50), target ≤ 1.5. The services are the demo's forty (samverkan/network/demo_directory.py),
repeated with numbered names up to the size; the queries have typos ("arbetstäning", "psykiatr",
"ekonomisk bistånd", "skulder", "sjukskriven"). Pure functions: no database.

Printed: the median time of one query at each size with cold caches (as the first query of a process),
over --repeat rounds, the ratio, and the warm time at the large size for information.

    .venv/bin/python bench/directory_search.py [--large 500] [--small 50] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import verdict  # noqa: E402 — after the path is set
from samverkan.network import directory_text as t  # noqa: E402

TARGET = 1.5
QUERIES = ["arbetstäning", "psykiatr", "ekonomisk bistånd", "skulder", "sjukskriven"]


def documents(n: int) -> list[list[tuple[str, float]]]:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from samverkan.network.demo_directory import _entries

    entries = _entries()
    docs = []
    for i in range(n):
        e = entries[i % len(entries)]
        body = " ".join([e.description, e.target_group, e.eligibility, e.application_process, *e.municipalities])
        docs.append([(f"{e.name} {i}", 3.0), (" ".join([*e.needs, e.agency]), 2.0), (body, 1.0)])
    return docs


def one_query_ms(docs: list[list[tuple[str, float]]], *, cold: bool = True) -> float:
    if cold:  # a fresh process: no word pair scored yet, no document's words read yet
        t._pair_score.cache_clear()
        t._vocabulary.cache_clear()
    started = time.perf_counter()
    for query in QUERIES:
        words = t.words(query)
        t.best_matches([(i, t.match(words, fields)) for i, fields in enumerate(docs)])
    return (time.perf_counter() - started) * 1000 / len(QUERIES)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=500)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    small, large = documents(args.small), documents(args.large)
    one_query_ms(small)  # warm up
    ratios, small_ms, large_ms = [], [], []
    for _ in range(args.repeat):
        s = one_query_ms(small)
        big = one_query_ms(large)
        small_ms.append(s)
        large_ms.append(big)
        ratios.append((big / s) / (args.large / args.small))
    ratio = statistics.median(ratios)
    warm = statistics.median(one_query_ms(large, cold=False) for _ in range(args.repeat))
    print(
        f"one query: {statistics.median(small_ms):.1f} ms at {args.small} services, "
        f"{statistics.median(large_ms):.1f} ms at {args.large} (cold caches); {warm:.1f} ms warm at {args.large}"
    )
    print(f"growth against n: {ratio:.2f} (target ≤ {TARGET}) {verdict(ratio <= TARGET)}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
