"""Results page for a campaign of 100,000 responses vs one of 1,000: target ratio ≤ 3.

Results are read from a snapshot of per-group counts made by SQL GROUP BY when
answers change; a page view must not do per-response Python work. Responses
are inserted directly with bulk_create (every scale item answered, about 3 %
"vet ej", a free text in 2 % of responses, hallmark scores computed as the
app publishes them).

Printed: the first view after new answers (it makes the snapshot), then the
median of repeated views, alternating between the two campaigns, in two modes:
  - reuse: an open campaign reuses a snapshot younger than SAMVERKAN_RESULTS_MAX_AGE;
  - check: SAMVERKAN_RESULTS_MAX_AGE=0 (and every closed campaign): each view
    counts the published responses to see whether the snapshot is stale.
The target applies to both.

    .venv/bin/python bench/results_page.py [--postgres] [--large 100000] [--small 1000] [--repeat 21]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import engine_name, scratch_database, setup_django, verdict

TARGET = 3.0
GROUPS = ["board", "managers", "staff", "referrers"]


def fill(campaign, count: int, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Insert `count` published responses with answers and hallmark scores directly, in batches."""
    from django.db import connection, transaction

    from samverkan.measure.models import (
        DONT_KNOW,
        Answer,
        HallmarkScore,
        Item,
        ItemKind,
        Response,
    )
    from samverkan.measure.services import _hallmark_scores

    items = list(Item.objects.filter(instrument=campaign.instrument).order_by("position"))
    scale = [item for item in items if item.kind in (ItemKind.RING, ItemKind.LIKERT)]
    texts = [item for item in items if item.kind == ItemKind.TEXT]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    batch = 2500
    day = campaign.opens_on + timedelta(days=1)
    for start in range(0, count, batch):
        size = min(batch, count - start)
        responses, answers, scores = [], [], []
        for _ in range(size):
            response = Response(
                id=uuid.UUID(int=rnd.getrandbits(128), version=4),
                campaign_id=campaign.pk,
                respondent_group=rnd.choice(GROUPS),
                submitted_on=day,
            )
            responses.append(response)
            level = rnd.gauss(3, 0.8)
            values: dict[str, int | str] = {}
            for item in scale:
                value = DONT_KNOW if rnd.random() < 0.03 else max(1, min(5, round(level + rnd.gauss(0, 0.7))))
                values[item.code] = value
                answers.append(Answer(response=response, item_id=item.pk, value=value))
            for item in texts:
                if rnd.random() < 0.02:
                    answers.append(Answer(response=response, item_id=item.pk, value=None, text="Bättre samordning."))
            for hallmark, index, complete in _hallmark_scores(items, values):
                scores.append(HallmarkScore(response=response, hallmark=hallmark, index=index, complete_total=complete))
        with transaction.atomic():
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(answers, batch_size=5000)
            HallmarkScore.objects.bulk_create(scores, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def alternating_medians(get, urls: dict[str, str], repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median ms per URL, requests alternating between the URLs so machine noise hits both alike."""
    times: dict[str, list[float]] = {label: [] for label in urls}
    for _ in range(repeat):
        for label, url in urls.items():
            started = time.perf_counter()
            response = get(url)
            times[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return {label: statistics.median(values) for label, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL if set)")
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    database_url = scratch_database("samverkan_bench_results", postgres=args.postgres)
    setup_django(database_url)
    from django_scopes import scopes_disabled

    # The benchmark's own set-up and reads span its association; each request it times scopes itself.
    with scopes_disabled():
        return _measure(args, database_url)


def _measure(args: argparse.Namespace, database_url: str) -> int:

    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from samverkan.accounts.models import User
    from samverkan.measure import services
    from samverkan.measure.models import Answer, Instrument
    from samverkan.tenancy.models import Association, Membership, Role

    association = Association.objects.create(name="Benchmarkförbundet", slug="bench", county="Testlän")
    user = User.objects.create_user(email="bench@example.se", password="bench-password-123")
    Membership.objects.create(user=user, association=association, role=Role.MEMBER)
    instrument = Instrument.objects.get(association=None, name="Integrerad samverkan", version=1)
    today = timezone.localdate()
    campaigns = {}
    rnd = random.Random(2026)
    # "warm" (a few responses) is viewed first, so template loading is not charged to either campaign.
    for label, count in (("warm", 20), ("small", args.small), ("large", args.large)):
        campaign = services.campaign_create(
            association=association,
            name=f"Bench {label}",
            instrument=instrument,
            respondent_groups=GROUPS,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=10),
        )
        started = time.perf_counter()
        fill(campaign, count, rnd)
        if label != "warm":
            answers = Answer.objects.filter(response__campaign=campaign).count()
            print(
                f"  filled {count:>7} responses ({answers} answers) in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        campaigns[label] = campaign

    client = Client()
    client.force_login(user)
    urls = {label: reverse("measure:results", args=["bench", c.pk]) for label, c in campaigns.items()}
    assert client.get(urls.pop("warm")).status_code == 200
    first = {}
    for label, url in urls.items():
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        first[label] = (time.perf_counter() - started) * 1000
    reuse = alternating_medians(client.get, urls, args.repeat)
    with override_settings(SAMVERKAN_RESULTS_MAX_AGE=0):
        check = alternating_medians(client.get, urls, args.repeat)
    ratios = {"reuse": reuse["large"] / reuse["small"], "check": check["large"] / check["small"]}
    ok = all(r <= TARGET for r in ratios.values())
    small, large = f"{args.small // 1000}k", f"{args.large // 1000}k"
    print(
        f"results page: {small}={reuse['small']:.1f}ms {large}={reuse['large']:.1f}ms ratio={ratios['reuse']:.2f} "
        f"(target ≤ {TARGET:g}) {verdict(ratios['reuse'] <= TARGET)}"
    )
    print(
        f"  staleness checked on every view (MAX_AGE=0 / closed campaign): {small}={check['small']:.1f}ms "
        f"{large}={check['large']:.1f}ms ratio={ratios['check']:.2f} {verdict(ratios['check'] <= TARGET)}"
    )
    print(
        f"  first view after new answers (makes the snapshot): {small}={first['small']:.0f}ms "
        f"{large}={first['large']:.0f}ms"
    )
    print(f"  {engine_name(database_url)}, median of {args.repeat} views each, Django test Client, logged in")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
