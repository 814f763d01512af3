"""Results page for a campaign of 100,000 responses vs one of 1,000: target ratio ≤ 3.

Results are read from a snapshot of per-group counts made by SQL GROUP BY when
answers change; a page view must not do per-response Python work. The first
view after new answers (which makes the snapshot) is timed and printed too.

    .venv/bin/python bench/results_page.py [--postgres] [--large 100000] [--small 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import timedelta

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from bench.common import median_ms, scratch_database, setup_django, verdict

TARGET = 3.0


def fill(campaign, count: int, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Insert `count` responses with answers and hallmark scores directly, in batches."""
    from django.db import connection, transaction

    from samverkan.measure.models import Answer, HallmarkScore, Item, ItemKind, Response, SubmissionReceipt

    items = list(Item.objects.filter(instrument=campaign.instrument).exclude(kind=ItemKind.TEXT))
    hallmarks: dict[str, list[Item]] = {}
    for item in items:
        if item.hallmark:
            hallmarks.setdefault(item.hallmark, []).append(item)
    groups = list(campaign.respondent_groups)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    batch = 2000
    day = campaign.opens_on + timedelta(days=1)
    for start in range(0, count, batch):
        size = min(batch, count - start)
        responses, answers, scores = [], [], []
        for _ in range(size):
            response = Response(
                id=uuid.uuid4(), campaign=campaign, respondent_group=rnd.choice(groups), submitted_on=day
            )
            responses.append(response)
            level = rnd.gauss(3, 0.8)
            values = {}
            for item in items:
                value = max(1, min(5, round(level + rnd.gauss(0, 0.7))))
                values[item.pk] = value
                answers.append(Answer(response=response, item=item, value=value))
            for hallmark, members in hallmarks.items():
                vals = [values[i.pk] for i in members]
                scores.append(
                    HallmarkScore(
                        response=response,
                        hallmark=hallmark,
                        index=(sum(vals) / len(vals) - 1) / 4 * 100,
                        complete_total=sum(vals),
                    )
                )
        with transaction.atomic():
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(answers, batch_size=5000)
            HallmarkScore.objects.bulk_create(scores, batch_size=5000)
    # One receipt marks the snapshot stale, as a real submission would.
    SubmissionReceipt.objects.create(campaign=campaign, key_hash=uuid.uuid4().hex)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    setup_django(scratch_database("samverkan_bench_results", postgres=args.postgres))

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from samverkan.accounts.models import User
    from samverkan.measure import services
    from samverkan.measure.models import Instrument
    from samverkan.tenancy.models import Association, Membership, Role

    association = Association.objects.create(name="Benchmarkförbundet", slug="bench", county="Testlän")
    user = User.objects.create_user(email="bench@example.se", password="bench-password-123")
    Membership.objects.create(user=user, association=association, role=Role.MEMBER)
    instrument = Instrument.objects.get(association=None, name="Integrerad samverkan", version=1)
    today = timezone.localdate()
    campaigns = {}
    rnd = random.Random(2026)
    for label, count in (("small", args.small), ("large", args.large)):
        campaign = services.campaign_create(
            association=association,
            name=f"Bench {label}",
            instrument=instrument,
            respondent_groups=["board", "managers", "staff", "referrers"],
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=10),
        )
        started = time.perf_counter()
        fill(campaign, count, rnd)
        print(f"  filled {count:>7} responses in {time.perf_counter() - started:.1f} s", flush=True)
        campaigns[label] = campaign

    client = Client()
    client.force_login(user)
    urls = {label: reverse("measure:results", args=["bench", c.pk]) for label, c in campaigns.items()}
    first = {}
    for label, url in urls.items():
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        first[label] = (time.perf_counter() - started) * 1000
    timings = {label: median_ms(lambda url=url: client.get(url), args.repeat) for label, url in urls.items()}
    ratio = timings["large"] / timings["small"]
    print(
        f"results page: {args.small}={timings['small']:.1f} ms  {args.large}={timings['large']:.1f} ms  "
        f"ratio={ratio:.2f} (target ≤ {TARGET:g}) {verdict(ratio <= TARGET)}"
    )
    print(
        f"  first view after new answers (makes the snapshot): {args.small}={first['small']:.0f} ms  "
        f"{args.large}={first['large']:.0f} ms"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
