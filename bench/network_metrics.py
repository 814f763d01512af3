"""Network figures and map of 200 agencies vs 20: the growth against n², target ≤ 1.5 × n² growth.

A round of the collaboration survey has every respondent answer about every other agency, so its input is
n·(n−1) answers and anything that reads them is at least quadratic. The target is that the figures
(samverkan/network/metrics.py) and the map (samverkan/network/network_map.py: the seeded spring layout and
the SVG) grow no worse than that: ratio = (time at 200 / time at 20) / (200/20)², target ≤ 1.5.

The networks are random with a fixed density (each ordered pair a tie with probability --density, depth
1–5; the other pairs are answered with depth 0), trust and value 1–4, knows-whom-to-call yes or no, from a
fixed seed: the same networks on every run. Pure functions: no database, no network.

Printed: the median wall time of one run at each size and the median ratio over --repeat rounds; a
round times a batch of at least 50 ms of each size, small then large (the 20-agency figures take well
under a millisecond: one run would be timer noise; and a load spike on the shared machine then falls on
both sizes of a round), both ratios, and the peak memory of one run
at the large size (tracemalloc: Python and numpy allocations) with its growth against n² for information.

    .venv/bin/python bench/network_metrics.py [--large 200] [--small 20] [--density 0.15] [--repeat 7] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import verdict  # noqa: E402 — after the path is set
from samverkan.network.metrics import EdgeAnswer, network_metrics  # noqa: E402
from samverkan.network.network_map import map_svg  # noqa: E402

TARGET = 1.5


def survey(n: int, density: float, seed: int) -> tuple[list[str], list[EdgeAnswer]]:
    """n agencies, every one answering about every other; about `density` of the pairs are ties."""
    rnd = random.Random(seed)
    nodes = [f"Myndighet {i:03d}" for i in range(n)]
    answers = []
    for source in nodes:
        for target in nodes:
            if source == target:
                continue
            depth = rnd.randint(1, 5) if rnd.random() < density else 0
            answers.append(
                EdgeAnswer(
                    source,
                    target,
                    depth,
                    trust=round(rnd.uniform(1, 4), 2),
                    value=float(rnd.randint(1, 4)),
                    knows_whom_to_call=rnd.random() < 0.6,
                )
            )
    return nodes, answers


def batch_size(action: Callable[[], object], batch_ms: float) -> int:
    """How many runs of the action take at least batch_ms (timer noise)."""
    started = time.perf_counter()
    action()
    once_ms = (time.perf_counter() - started) * 1000
    return max(1, int(batch_ms / max(once_ms, 1e-3)))


def interleaved_ms(
    small: Callable[[], object], large: Callable[[], object], repeat: int, *, batch_ms: float = 50.0
) -> tuple[float, float, float]:
    """Median per-run ms of each, and the median of the per-round ratios.

    Each round times a batch of the small action then a batch of the large one, so that a load spike on
    the shared machine falls on both sizes of one round rather than on one size only.
    """
    sizes = (batch_size(small, batch_ms), batch_size(large, batch_ms))
    small_times, large_times, ratios = [], [], []
    for _ in range(repeat):
        times = []
        for action, batch in zip((small, large), sizes, strict=True):
            started = time.perf_counter()
            for _ in range(batch):
                action()
            times.append((time.perf_counter() - started) * 1000 / batch)
        small_times.append(times[0])
        large_times.append(times[1])
        ratios.append(times[1] / times[0])
    return statistics.median(small_times), statistics.median(large_times), statistics.median(ratios)


def peak_mib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--density", type=float, default=0.15)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    small, large = survey(args.small, args.density, args.seed), survey(args.large, args.density, args.seed + 1)
    growth = (args.large / args.small) ** 2

    def figures(network: tuple[list[str], list[EdgeAnswer]]) -> object:
        return network_metrics(*network)

    def picture(network: tuple[list[str], list[EdgeAnswer]]) -> str:
        return map_svg(*network, title="Samverkanskarta", description="Bänkprov", seed=args.seed)

    # Checked before timing: a wrong answer fast is no result.
    for nodes, answers in (small, large):
        result = network_metrics(nodes, answers)
        svg = picture((nodes, answers))
        drawn = sum(1 for e in ET.fromstring(svg).iter() if e.get("class") == "tie")
        if result.edges != drawn or result.nodes != len(nodes) or result.response_rate != 1.0:
            print(f"ERROR: {len(nodes)} agencies: {result.edges} ties counted, {drawn} drawn")
            return 2
        print(
            f"{len(nodes):>5} agencies, {len(answers):>6} answers → {result.edges} ties "
            f"(density {result.density:.3f}), map {len(svg) / 1024:.0f} kB"
        )
    ok = True
    for name, action in (("metrics", figures), ("map", picture)):
        small_ms, large_ms, time_ratio = interleaved_ms(
            lambda action=action: action(small), lambda action=action: action(large), args.repeat
        )
        started = time.perf_counter()
        peak = peak_mib(lambda action=action: action(large))
        traced_s = time.perf_counter() - started
        small_peak = peak_mib(lambda action=action: action(small))
        ratio = time_ratio / growth
        ok = ok and ratio <= TARGET
        print(f"{name:>7} {args.small:>4} agencies: {small_ms:9.2f} ms (median of {args.repeat} rounds)")
        print(f"{name:>7} {args.large:>4} agencies: {large_ms:9.2f} ms (median of {args.repeat} rounds)")
        print(
            f"{name:>7} peak memory: {args.large} agencies {peak:.1f} MiB, {args.small} agencies {small_peak:.2f} MiB "
            f"(tracemalloc, {traced_s:.1f} s traced; growth {peak / small_peak / growth:.2f} × n², for information)"
        )
        print(
            f"{name:>7} time ratio {time_ratio:.1f} = {ratio:.2f} × n² growth ({growth:g}) "
            f"(target ≤ {TARGET:g} × n²): {verdict(ratio <= TARGET)}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
