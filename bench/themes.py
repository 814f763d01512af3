"""Theme grouping of 2,000 answers vs 200: target ratio ≤ 15, peak memory printed.

The answers are made deterministically from the seed workshop's 22 answers
(samverkan/workshops/tests/fixtures/seed_answers.txt) by recombination: each
generated answer joins one to three clauses (split at . ! ? ; and dashes) of
randomly chosen seed answers, sometimes lowercased or with an exclamation, so
the vocabulary, lengths and overlaps look like a real room's and near-duplicates
occur. No network, no database: grouping is a pure function
(samverkan/workshops/grouping.py); the background task adds only reading the
answers and saving the themes.

Printed: the median wall time of `repeat` groupings at each size (k chosen by
silhouette, as in a workshop), the ratio, and the peak memory of one grouping of
the large set (tracemalloc: Python and numpy allocations).

    .venv/bin/python bench/themes.py [--large 2000] [--small 200] [--repeat 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import median_ms, verdict  # noqa: E402 — after the path is set
from samverkan.workshops import grouping  # noqa: E402

TARGET = 15.0
SEED_ANSWERS = ROOT / "samverkan" / "workshops" / "tests" / "fixtures" / "seed_answers.txt"


def clauses() -> list[str]:
    answers = [line.strip() for line in SEED_ANSWERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    parts = [p.strip(" .!?;-–") for a in answers for p in re.split(r"[.!?;]+|\s[-–]\s", a)]
    return [p for p in parts if len(p.split()) >= 2]


def answers(count: int, seed: int) -> list[str]:
    """`count` realistic Swedish answers, the same for the same seed."""
    rnd = random.Random(seed)
    pool = clauses()
    made = []
    for _ in range(count):
        picked = rnd.sample(pool, rnd.choice((1, 1, 2, 2, 3)))
        text = ". ".join(p[:1].upper() + p[1:] for p in picked)
        roll = rnd.random()
        if roll < 0.1:
            text = text.lower()
        elif roll < 0.2:
            text += "!"
        elif roll < 0.3:
            text += ". Mycket användbart"
        made.append(text)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    small, large = answers(args.small, args.seed), answers(args.large, args.seed + 1)
    grouping.group_answers(answers(50, 99))  # loads the lemmatiser's dictionary once, outside the timing

    def run(texts: list[str]) -> list[grouping.Theme]:
        return grouping.group_answers(texts, seed=args.seed)

    for texts in (small, large):
        themes = run(texts)
        covered = sorted(i for t in themes for i in t.answers)
        if covered != list(range(len(texts))):
            print(f"ERROR: {len(texts)} answers, themes cover {len(covered)} (not each answer exactly once)")
            return 2
        print(f"{len(texts):>6} answers → {len(themes)} themes: {', '.join(t.label for t in themes[:4])} …")
    small_ms = median_ms(lambda: run(small), args.repeat)
    large_ms = median_ms(lambda: run(large), args.repeat)
    tracemalloc.start()
    started = time.perf_counter()
    run(large)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_s = time.perf_counter() - started
    ratio = large_ms / small_ms
    print(f"grouping {args.small:>5} answers: {small_ms:8.0f} ms (median of {args.repeat})")
    print(f"grouping {args.large:>5} answers: {large_ms:8.0f} ms (median of {args.repeat})")
    print(f"peak memory grouping {args.large} answers: {peak / 2**20:.1f} MiB (tracemalloc; {traced_s:.1f} s traced)")
    ok = ratio <= TARGET
    print(f"ratio {ratio:.1f} (target ≤ {TARGET:g}): {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
