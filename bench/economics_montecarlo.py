"""A 10,000-draw Monte Carlo vs one deterministic evaluation of the same scenario: target ratio ≤ 50.

The scenario: horizon 10 years, the association's investment over three years and one by the
municipality, six outcomes (transfers and real resources) whose amounts and numbers of persons
are ranges (PERT and triangular), the discount rate and the decay ranges too, so the Monte Carlo
draws 15 inputs. Pure: no database (samverkan/economics/calc.py).

Printed: the median time of a deterministic evaluation (evaluate: per actor and year, payback,
rounding) and of a simulation (simulate: `draws` draws, percentiles per actor), measured in `repeat`
interleaved rounds (ten evaluations, one simulation). Judged on the thread's CPU time, wall time
printed beside it: on a shared machine a 0.4 ms evaluation fits in one scheduler time slice while a
20 ms simulation is preempted several times, so wall times would compare the load, not the code.
Also the tornado's time for information, and the ratio. Exit 2 if the Monte Carlo with every range
collapsed does not equal the deterministic result.

    .venv/bin/python bench/economics_montecarlo.py [--draws 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import verdict  # noqa: E402 — after the path is set
from samverkan.economics import calc  # noqa: E402

TARGET = 50.0


def pert(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"distribution": "pert", "low": low, "mode": mode, "high": high}


def triangular(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"distribution": "triangular", "low": low, "mode": mode, "high": high}


def scenario(draws: int) -> dict[str, Any]:
    def outcome(name: str, kind: str, parties: dict[str, str], amount: dict[str, Any], persons: dict[str, Any]):
        return {"name": name, "kind": kind, **parties, "amount_per_person_year": amount, "persons": persons}

    return {
        "name": "Bänk: sex utfall med intervall",
        "price_year": 2025,
        "kpi": {"2022": 100.0, "2023": 104.0, "2024": 106.0, "2025": 110.0},
        "discount_rate": pert(0.01, 0.035, 0.06),
        "horizon_years": 10,
        "participants": 40,
        "investments": [
            {"actor": "samordningsforbund", "year": y, "amount": pert(1_200_000, 1_500_000, 1_900_000)}
            for y in (1, 2, 3)
        ]
        + [{"actor": "kommun", "year": 1, "amount": 300_000, "price_year": 2023}],
        "outcomes": [
            outcome(
                "Försörjningsstöd",
                "transfer",
                {"payer": "kommun", "receiver": "individen"},
                pert(90_000, 120_000, 140_000),
                triangular(6, 10, 14),
            ),
            outcome(
                "Sjukpenning",
                "transfer",
                {"payer": "forsakringskassan", "receiver": "individen"},
                pert(100_000, 150_000, 180_000),
                triangular(3, 6, 9),
            ),
            outcome(
                "Aktivitetsstöd",
                "transfer",
                {"payer": "arbetsformedlingen", "receiver": "individen"},
                pert(60_000, 80_000, 100_000),
                8,
            ),
            outcome(
                "Skatt på arbete",
                "transfer",
                {"payer": "individen", "receiver": "kommun"},
                pert(40_000, 60_000, 70_000),
                triangular(4, 8, 12),
            ),
            outcome("Vårdbesök", "real", {"actor": "region"}, pert(10_000, 25_000, 40_000), 12),
            outcome(
                "Produktion i arbete",
                "real",
                {"actor": "samhallet"},
                pert(200_000, 300_000, 380_000),
                triangular(4, 8, 12),
            ),
        ],
        "deadweight": 0.2,
        "decay": triangular(0.0, 0.1, 0.25),
        "draws": draws,
        "seed": 1,
    }


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(CPU ms of this thread, wall ms) of one call."""
    cpu, wall = time.thread_time(), time.perf_counter()
    action()
    return (time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def collapsed(data: Any) -> Any:
    if isinstance(data, dict):
        if "distribution" in data:
            return data | {"low": data["mode"], "high": data["mode"]}
        return {k: collapsed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [collapsed(v) for v in data]
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = scenario(args.draws)
    sc = calc.parse_scenario(data)
    ranged = [q.field for q in sc.quantities() if q.uncertain]
    flat = calc.parse_scenario(collapsed(data))
    deterministic, simulated = calc.evaluate(flat)["actors"], calc.simulate(flat)
    if any(simulated[a]["npv_p50"] != deterministic[a]["npv"] for a in deterministic):
        print("ERROR: the Monte Carlo with every range collapsed differs from the deterministic result")
        return 2
    calc.simulate(sc)  # warm-up (numpy's first calls)
    # Interleaved rounds (ten evaluations, one simulation) so a busy machine slows both alike.
    evaluate_cpu, simulate_cpu, evaluate_wall, simulate_wall = [], [], [], []
    for _ in range(args.repeat):
        for _ in range(10):
            cpu, wall = timed(lambda: calc.evaluate(sc))
            evaluate_cpu.append(cpu)
            evaluate_wall.append(wall)
        cpu, wall = timed(lambda: calc.simulate(sc))
        simulate_cpu.append(cpu)
        simulate_wall.append(wall)
    evaluate_ms, simulate_ms = statistics.median(evaluate_cpu), statistics.median(simulate_cpu)
    tornado_ms = statistics.median(timed(lambda: calc.tornado(sc))[0] for _ in range(args.repeat))
    total = calc.simulate(sc)[calc.TOTAL]
    print(f"scenario: horizon {sc.horizon_years} years, {len(sc.outcomes)} outcomes, {len(ranged)} inputs with ranges")
    print(f"total npv p5 / p50 / p95: {total['npv_p5']:,.0f} / {total['npv_p50']:,.0f} / {total['npv_p95']:,.0f} kr")
    rounds = args.repeat
    print(
        f"deterministic evaluation:    {evaluate_ms:8.2f} ms CPU (median of {rounds * 10}), wall "
        f"{statistics.median(evaluate_wall):.2f} ms"
    )
    print(
        f"Monte Carlo, {args.draws:>6} draws: {simulate_ms:8.2f} ms CPU (median of {rounds}), wall "
        f"{statistics.median(simulate_wall):.2f} ms"
    )
    print(f"tornado ({len(ranged)} bars):           {tornado_ms:8.2f} ms CPU (for information)")
    ratio = simulate_ms / evaluate_ms
    ok = ratio <= TARGET
    print(f"ratio {ratio:.1f} (target ≤ {TARGET:g}): {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
