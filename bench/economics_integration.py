"""The integration-and-return page's reads with 40 interventions vs 4, all linked to the same two rounds.

`economics.integration.integration_return` reads each linked round's results once per page (Mät's
`campaign_results`, the suppression choke point), however many interventions share the round, and runs
`calc.evaluate` once per intervention's scenario. So ten times the interventions should cost far less
than ten times the time: the round reads are the same, only the small per-scenario calculation grows.
Target: 40 interventions take at most 6 times as long as 4.

    .venv/bin/python bench/economics_integration.py [--postgres]
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import engine_name, median_ms, scratch_database, setup_django, verdict

TARGET = 6.0
SMALL, LARGE = 4, 40
SCENARIO: dict[str, Any] = {
    "name": "Bänk",
    "price_year": 2023,
    "horizon_years": 5,
    "investments": [{"actor": "samordningsforbund", "year": 1, "amount": 1_000_000, "price_year": 2023}],
    "outcomes": [
        {
            "name": "Försörjningsstöd",
            "kind": "transfer",
            "payer": "kommun",
            "receiver": "individen",
            "amount_per_person_year": {"distribution": "triangular", "low": 90_000, "mode": 120_000, "high": 140_000},
            "price_year": 2023,
            "persons": 10,
        },
        {
            "name": "Produktion",
            "kind": "real",
            "actor": "samhallet",
            "amount_per_person_year": 250_000,
            "price_year": 2023,
            "persons": 6,
        },
    ],
    "deadweight": 0.2,
    "decay": 0.1,
}


def build(slug: str, interventions: int) -> Any:
    from samverkan.economics.models import Scenario
    from samverkan.interventions.models import Intervention
    from samverkan.measure.tests.factories import open_campaign, ring_answers, submit
    from samverkan.tenancy.models import Association

    association = Association.objects.create(name=f"Bänkförbund {slug}", slug=slug)
    rounds = []
    for name, value in (("Våren", 3), ("Hösten", 4)):
        campaign = open_campaign(association, name=name, groups=("board", "staff"))
        for index in range(60):
            submit(campaign, "staff", ring_answers(value if index % 3 else value - 1))
        for _ in range(10):
            submit(campaign, "board", ring_answers(2))
        rounds.append(campaign)
    rounds[1].previous = rounds[0]
    rounds[1].save()
    for number in range(interventions):
        intervention = Intervention.objects.create(
            association=association, name=f"Insats {number}", code=f"i{number}", start=datetime.date(2023, 1, 1)
        )
        intervention.campaigns.set(rounds)
        Scenario.objects.create(
            association=association, name=f"Kalkyl {number}", data=SCENARIO, intervention=intervention
        )
    return association


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    url = scratch_database("bench_economics_integration", postgres=args.postgres)
    setup_django(url)
    from django_scopes import scope, scopes_disabled

    from samverkan.economics.integration import integration_return
    from samverkan.economics.services_prices import shipped_prices_load

    with scopes_disabled():
        shipped_prices_load()
        small, large = build("bank-liten", SMALL), build("bank-stor", LARGE)

    def page(association: Any, expected: int) -> None:
        with scope(association=association):
            data = integration_return(association)
        assert len(data.plotted) == expected, len(data.plotted)

    for association, expected in ((small, SMALL), (large, LARGE)):  # warm up: imports, snapshots
        page(association, expected)
    small_ms = median_ms(lambda: page(small, SMALL), 7)
    large_ms = median_ms(lambda: page(large, LARGE), 7)
    ratio = large_ms / small_ms
    print(
        f"{engine_name(url)}: integration page reads, {SMALL} interventions {small_ms:.1f} ms, "
        f"{LARGE} interventions {large_ms:.1f} ms: ratio {ratio:.2f} (target ≤ {TARGET:g}) {verdict(ratio <= TARGET)}"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
