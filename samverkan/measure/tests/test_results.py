"""The results page, free text and benchmark: what is shown, and what never is."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.common.factories import AssociationFactory
from samverkan.measure import services
from samverkan.measure.benchmark import level_benchmarks
from samverkan.measure.published import results_payload
from samverkan.measure.results import campaign_results
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


def _hidden(results) -> list[str]:
    return [g.group for g in results.groups if g.suppressed]


def _visible(results) -> list[str]:
    return [g.group for g in results.groups if not g.suppressed]


def _results_url(campaign: object) -> str:
    return reverse("measure:results", args=[campaign.association.slug, campaign.pk])  # type: ignore[attr-defined]


def test_results_page_shows_picture_table_and_hides_small_group(actors) -> None:
    campaign = open_campaign(actors.association, groups=("board", "managers", "staff"))
    for i in range(20):
        submit(campaign, "staff", ring_answers(3 + i % 3))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1, target=2))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(4))
    page = actors.client_for(actors.member).get(_results_url(campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="ring-picture"' in html and 'role="img"' in html
    assert html.count('class="marker"') == 4
    assert "Arbetslaget" in html
    # Board (3) is below the minimum; managers (8) is hidden as its complement, staff shown.
    data = campaign_results(campaign=campaign)
    shown = {g.group: g.suppressed for g in data.groups}
    assert shown == {"board": True, "managers": True, "staff": False}
    payload = results_payload(data)
    for level in payload["levels"]:
        for cell in level["groups"]:
            if cell["group"] in ("board", "managers"):
                assert cell["suppressed"] and cell["n"] is None and cell["mean"] is None
    # The page never prints the hidden groups' sizes.
    figures = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    by_label = dict(figures)
    assert "dold" in by_label["Styrelseledamot"] and "dold" in by_label["Chef i samverkan"]
    assert by_label["Insatspersonal"] == "20"


def test_results_with_too_few_answers_say_so(actors) -> None:
    campaign = open_campaign(actors.association)
    submit(campaign, "staff", ring_answers(3))
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "Ännu för få svar" in html
    assert 'class="ring-picture"' not in html


def test_arrow_and_momentum_against_previous_round(actors) -> None:
    today = timezone.localdate()
    previous = open_campaign(
        actors.association, name="2025", opens_on=today - timedelta(days=400), closes_on=today - timedelta(days=300)
    )
    for i in range(30):
        submit(previous, "staff", ring_answers(2 + i % 2), today=previous.opens_on)
    services.campaign_close(campaign=previous, today=previous.closes_on)
    current = open_campaign(actors.association, name="2026", previous=previous)
    for i in range(30):
        submit(current, "staff", ring_answers(4 + i % 2))
    data = campaign_results(campaign=current)
    team = next(level for level in data.levels if level.level == "team")
    assert team.total.momentum is not None and team.total.momentum.detectable
    assert team.total.momentum.difference == pytest.approx(2.0)
    html = actors.client_for(actors.member).get(_results_url(current)).content.decode()
    assert 'class="arrow"' in html
    assert "+2,00" in html or "+2.00" in html


def test_free_text_only_for_groups_at_minimum(actors) -> None:
    campaign = open_campaign(actors.association, groups=("board", "managers", "staff"))
    for i in range(7):
        submit(campaign, "staff", ring_answers(3, open_meaning=f"Personaltext {i}"))
    for i in range(6):
        submit(campaign, "managers", ring_answers(3, open_meaning=f"Chefstext {i}"))
    for i in range(2):
        submit(campaign, "board", ring_answers(3, open_meaning=f"Styrelsetext {i}"))
    html = (
        actors.client_for(actors.member).get(reverse("measure:free_texts", args=["alfa", campaign.pk])).content.decode()
    )
    assert "Personaltext 0" in html and "Personaltext 6" in html
    # Board is too small; managers is hidden as its complement, so neither group's text is shown.
    assert "Styrelsetext" not in html and "Chefstext" not in html


def test_other_tenant_and_anonymous_cannot_see_results(actors) -> None:
    campaign = open_campaign(actors.association)
    assert actors.client_for(actors.outsider).get(_results_url(campaign)).status_code == 404
    from django.test import Client

    response = Client().get(_results_url(campaign))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def _round_with_mean(association: object, value: int, name: str = "Runda") -> object:
    today = timezone.localdate()
    campaign = open_campaign(association, name=name)
    for _ in range(6):
        submit(campaign, "staff", ring_answers(value))
    services.campaign_close(campaign=campaign, today=today)
    return campaign


def test_benchmark_shows_position_and_only_chosen_names(actors) -> None:
    own = actors.association
    own.benchmark_opt_in = True
    own.save()
    named = AssociationFactory(name="Förbundet Synlig", benchmark_opt_in=True, benchmark_named=True)
    hidden = AssociationFactory(name="Förbundet Anonym", benchmark_opt_in=True, benchmark_named=False)
    outside = AssociationFactory(name="Förbundet Utanför", benchmark_opt_in=False)
    _round_with_mean(named, 2)
    _round_with_mean(hidden, 4)
    _round_with_mean(outside, 5)
    # Five peers at least (the new minimum), so that no unnamed one can be singled out.
    for index, value in enumerate((1, 3, 5)):
        _round_with_mean(AssociationFactory(name=f"Förbundet Anonym {index}", benchmark_opt_in=True), value)
    campaign = _round_with_mean(own, 3)
    benchmarks = level_benchmarks(association=own, campaign=campaign)
    assert benchmarks is not None
    team = next(b for b in benchmarks if b.level == "team")
    assert sorted(p.mean for p in team.peers) == [1.0, 2.0, 3.0, 4.0, 5.0]  # the association outside is not included
    assert team.percentile == 50.0
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "Förbundet Synlig" in html
    assert "Förbundet Anonym" not in html and "Förbundet Utanför" not in html


def test_benchmark_not_shown_without_opt_in(actors) -> None:
    for value in (2, 4):
        _round_with_mean(AssociationFactory(benchmark_opt_in=True), value)
    campaign = _round_with_mean(actors.association, 3)
    assert level_benchmarks(association=actors.association, campaign=campaign) is None
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "delar inte sina sammanställda resultat" in html


def test_swedish_even_when_browser_asks_for_english(actors) -> None:
    client = actors.client_for(actors.member)
    html = client.get(reverse("tenancy:start", args=["alfa"]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'lang="sv"' in html


def test_start_page_shows_latest_picture_only_when_results_can_be_shown(actors) -> None:
    campaign = open_campaign(actors.association)
    client = actors.client_for(actors.member)
    start = reverse("tenancy:start", args=["alfa"])
    submit(campaign, "staff", ring_answers(3))
    assert "Senaste resultat" not in client.get(start).content.decode()
    for _ in range(5):
        submit(campaign, "staff", ring_answers(4))
    html = client.get(start).content.decode()
    assert "Senaste resultat" in html and 'class="ring-picture"' in html
    # The other association's start page knows nothing of it.
    other = actors.client_for(actors.outsider).get(reverse("tenancy:start", args=["beta"])).content.decode()
    assert "Senaste resultat" not in other


def test_platform_floor_raises_every_campaigns_minimum(actors, settings) -> None:
    campaign = open_campaign(actors.association, groups=("staff",), min_group_size=3)
    for _ in range(4):
        submit(campaign, "staff", ring_answers(3))
    assert not campaign_results(campaign=campaign).total_suppressed
    settings.SAMVERKAN_MIN_GROUP_SIZE = 6
    data = campaign_results(campaign=campaign)
    assert data.total_suppressed and data.min_group_size == 6


def test_open_campaign_results_may_lag_briefly_but_closing_refreshes(actors, settings) -> None:
    settings.SAMVERKAN_RESULTS_MAX_AGE = 120
    campaign = open_campaign(actors.association, groups=("staff",))
    for _ in range(5):
        submit(campaign, "staff", ring_answers(3))
    assert campaign_results(campaign=campaign).total_responses == 5
    submit(campaign, "staff", ring_answers(3))
    # Within the grace period the page reads the snapshot it has, without rebuilding it.
    assert campaign_results(campaign=campaign).total_responses == 5
    settings.SAMVERKAN_RESULTS_MAX_AGE = 0
    assert campaign_results(campaign=campaign).total_responses == 6
    settings.SAMVERKAN_RESULTS_MAX_AGE = 120
    submit(campaign, "staff", ring_answers(3))
    services.campaign_close(campaign=campaign)
    assert campaign_results(campaign=campaign).total_responses == 7


def test_scheduled_refresh_keeps_open_results_fresh_without_a_viewer_waiting(actors, settings) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from samverkan.measure.models import ResultSnapshot

    settings.SAMVERKAN_RESULTS_MAX_AGE = 600
    campaign = open_campaign(actors.association, groups=("staff",))
    theirs = open_campaign(actors.other_association, groups=("staff",))
    for _ in range(5):
        submit(campaign, "staff", ring_answers(4))
        submit(theirs, "staff", ring_answers(2))
    assert campaign_results(campaign=campaign).total_responses == 5
    submit(campaign, "staff", ring_answers(4))
    assert campaign_results(campaign=campaign).total_responses == 5  # the page may lag …

    out = StringIO()
    call_command("refresh_results", "--association", campaign.association.slug, stdout=out)
    assert "6 svar" in out.getvalue() and "1 mätomgångar uppdaterade" in out.getvalue()
    assert campaign_results(campaign=campaign).total_responses == 6  # … until the scheduled run
    assert not ResultSnapshot.objects.filter(campaign=theirs).exists()  # another association: untouched

    made = ResultSnapshot.objects.get(campaign=campaign).computed_at
    out = StringIO()
    call_command("refresh_results", stdout=out)  # nothing new here; the other association's is built
    assert ResultSnapshot.objects.get(campaign=campaign).computed_at == made
    assert ResultSnapshot.objects.get(campaign=theirs).answers_version == 5
    assert "1 mätomgångar uppdaterade" in out.getvalue()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("refresh_results", "--association", "nej")


def test_own_instrument_is_never_benchmarked(actors) -> None:
    from samverkan.measure import services as measure_services
    from samverkan.measure.tests.factories import core_instrument

    actors.association.benchmark_opt_in = True
    actors.association.save()
    for value in (2, 4):
        _round_with_mean(AssociationFactory(benchmark_opt_in=True), value)
    own = measure_services.instrument_copy(association=actors.association, source=core_instrument(), name="Egen")
    campaign = open_campaign(actors.association, name="Egen runda", instrument=own)
    for _ in range(6):
        submit(campaign, "staff", ring_answers(3))
    assert level_benchmarks(association=actors.association, campaign=campaign) is None
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "förbundets egen enkät" in html


# --- issue 8 "Trust": one hidden set for every table, every statistic through its own n ---------------


def _board_recoverable_campaign(association: object) -> object:
    """Board 3, staff 6, managers 8; staff answered "vet ej" at the team level."""
    campaign = open_campaign(association, name="Subtraktion", groups=("board", "staff", "managers"))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1))
    for _ in range(6):
        submit(campaign, "staff", ring_answers(3, ring_team=9))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(5))
    return campaign


def test_board_with_three_answers_is_not_recovered_by_subtraction_across_tables(actors) -> None:
    from samverkan.measure.tests.attacker import payload_tables, recoveries

    campaign = _board_recoverable_campaign(actors.association)
    data = campaign_results(campaign=campaign)
    payload = results_payload(data)
    # Before: the group table hid board + staff and showed managers 8, the team level hid board + managers
    # with total 11, so 11 − 8 gave board's 3. Now one hidden set holds for every table.
    assert [r for r in recoveries(payload_tables(payload)) if r.group in _hidden(data)] == []
    hidden = set(_hidden(data))
    assert "board" in hidden
    for level in payload["levels"]:
        for cell in level["groups"]:
            if cell["group"] != "all":
                assert cell["suppressed"] == (cell["group"] in hidden)
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert "dold" in figures["Chef i samverkan"] and ">8<" not in figures["Chef i samverkan"]


def test_target_mean_from_one_answer_is_not_published_in_the_total_row(actors) -> None:
    campaign = open_campaign(actors.association, name="Mål", groups=("staff",))
    today_only = {f"ring_{level}": "3" for level in ("personal", "team", "organisation", "society")}
    for _ in range(9):
        submit(campaign, "staff", today_only)
    submit(campaign, "staff", ring_answers(3, target=5))  # the only answer with a target
    data = campaign_results(campaign=campaign)
    for level in data.levels:
        assert level.total.summary is not None and level.total.n == 10
        assert level.total.target_mean is None and level.total.gap is None
        assert all(row.target_mean is None for row in level.rows)
    payload = results_payload(data)
    assert all(c["target_mean"] is None and c["target_n"] is None for lv in payload["levels"] for c in lv["groups"])
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "5,00" not in html and "mål om två år 5" not in html


def test_momentum_only_where_the_previous_round_itself_shows_the_group(actors) -> None:
    today = timezone.localdate()
    previous = open_campaign(
        actors.association,
        name="Förra",
        groups=("board", "staff", "managers"),
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=300),
    )
    for group, n, answers in (("board", 3, ring_answers(1)), ("staff", 6, ring_answers(3, ring_team=9))):
        for _ in range(n):
            submit(previous, group, answers, today=previous.opens_on)
    for _ in range(8):
        submit(previous, "managers", ring_answers(2), today=previous.opens_on)
    services.campaign_close(campaign=previous, today=previous.closes_on)
    current = open_campaign(actors.association, name="Nu", groups=("board", "staff", "managers"), previous=previous)
    for group in ("board", "staff", "managers"):
        for _ in range(10):
            submit(current, group, ring_answers(4))
    # The previous round hides every group (its one hidden set), so no group gets an arrow from it;
    # before, its personal level was judged alone and showed managers' previous mean.
    data = campaign_results(campaign=current)
    for level in data.levels:
        assert all(row.momentum is None and row.previous_mean is None for row in level.rows)
        assert level.total.momentum is not None  # the whole previous round (17 answers) is shown there
    assert set(_hidden(campaign_results(campaign=previous))) == {"board", "staff", "managers"}


def test_alpha_and_its_n_are_published_only_from_their_own_minimum(actors) -> None:
    campaign = open_campaign(actors.association, name="Alfa-n", groups=("staff",))
    for _ in range(2):
        submit(campaign, "staff", ring_answers(3, strat_1=4, strat_2=4, strat_3=3, strat_4=4))
    for _ in range(8):
        submit(campaign, "staff", ring_answers(3, strat_1=4, strat_2=3))  # half the items: an index, not complete
    payload = results_payload(campaign_results(campaign=campaign))
    strat = next(h for h in payload["hallmarks"] if h["hallmark"] == "strategy")
    total = next(c for c in strat["groups"] if c["group"] == "all")
    assert total["n"] == 10 and total["mean"] is not None
    assert strat["alpha"] is None and strat["alpha_n"] is None  # two complete answers are not published


def test_benchmark_with_two_peers_one_named_is_not_shown(actors) -> None:
    own = actors.association
    own.benchmark_opt_in = True
    own.save()
    _round_with_mean(AssociationFactory(name="Förbundet Synlig", benchmark_opt_in=True, benchmark_named=True), 2)
    _round_with_mean(AssociationFactory(name="Förbundet Gissbar", benchmark_opt_in=True), 4)
    campaign = _round_with_mean(own, 3)
    # With one of two named, the other is obvious on a small platform: no comparison at all.
    assert level_benchmarks(association=own, campaign=campaign) is None
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "Förbundet Synlig" not in html and "Förbundet Gissbar" not in html
    assert "minst 5 andra förbund" in html and "inget enskilt förbund kan pekas ut" in html


def test_benchmark_min_peers_is_a_setting_never_below_three(actors, settings) -> None:
    from samverkan.measure.benchmark import benchmark_min_peers

    assert benchmark_min_peers() == 5
    settings.SAMVERKAN_BENCHMARK_MIN_PEERS = 1
    assert benchmark_min_peers() == 3
    own = actors.association
    own.benchmark_opt_in = True
    own.save()
    for value in (2, 3, 4):
        _round_with_mean(AssociationFactory(benchmark_opt_in=True), value)
    campaign = _round_with_mean(own, 3)
    assert level_benchmarks(association=own, campaign=campaign) is not None
    settings.SAMVERKAN_BENCHMARK_MIN_PEERS = 4
    assert level_benchmarks(association=own, campaign=campaign) is None
    html = actors.client_for(actors.member).get(_results_url(campaign)).content.decode()
    assert "minst 4 andra förbund" in html


def test_free_text_page_names_the_real_minimum_and_shows_only_visible_groups(actors) -> None:
    campaign = open_campaign(
        actors.association, name="Fritext", groups=("board", "managers", "staff", "referrers"), min_group_size=6
    )
    for i in range(12):
        submit(campaign, "staff", ring_answers(3, open_meaning=f"Personaltext {i}"))
    for i in range(8):
        submit(campaign, "board", ring_answers(3, open_meaning=f"Styrelsetext {i}") if i < 3 else ring_answers(3))
    for i in range(2):
        submit(campaign, "managers", ring_answers(3, open_meaning=f"Chefstext {i}"))
    for i in range(6):
        submit(campaign, "referrers", ring_answers(3, open_meaning=f"Remitttext {i}"))
    data = campaign_results(campaign=campaign)
    assert set(_hidden(data)) == {"managers", "referrers"} and data.visible_text_groups == ["board", "staff"]
    html = actors.client_for(actors.member).get(reverse("measure:free_texts", args=["alfa", campaign.pk])).content
    text = html.decode()
    assert "minst 6 svarande" in text
    # Board wrote 3 texts: the page says so without calling it the group's number of answers.
    assert "(3 svar)" not in text and "3 fritextsvar av gruppens 8 svarande" in text
    assert "Styrelsetext 0" in text and "Chefstext" not in text and "Remitttext" not in text


RING_CODES = [
    f"ring_{level}{suffix}" for level in ("personal", "team", "organisation", "society") for suffix in ("", "_target")
]


@st.composite
def snapshots(draw: st.DrawFn) -> tuple[list[str], dict, int]:
    """A campaign's snapshot as snapshot.py stores it: some questions answered by everyone, some not."""
    groups = draw(
        st.lists(st.sampled_from(["board", "managers", "staff", "referrers"]), min_size=1, max_size=4, unique=True)
    )
    sizes = {g: draw(st.integers(0, 14)) for g in groups}

    def answered(size: int) -> int:
        return size if draw(st.booleans()) else draw(st.integers(0, size))

    counts: dict = {}
    for code in RING_CODES:
        counts[code] = {}
        for g, size in sizes.items():
            k = answered(size)
            dont_know = draw(st.integers(0, k)) if draw(st.integers(0, 3)) == 0 else 0
            value = draw(st.integers(1, 5))
            counts[code][g] = {str(value): k - dont_know, "9": dont_know} if k else {}
    hallmarks: dict = {}
    for hallmark in ("strategy", "individual_needs", "deepened"):
        hallmarks[hallmark] = {}
        for g, size in sizes.items():
            n = answered(size)
            if n:
                hallmarks[hallmark][g] = {
                    "n": n,
                    "sum": 50.0 * n,
                    "sumsq": 2600.0 * n,
                    "n_complete": n,
                    "complete_sum": 12.0 * n,
                    "complete_sumsq": 150.0 * n,
                    "items": {},
                }
    data = {"groups": {g: n for g, n in sizes.items() if n}, "counts": counts, "texts": {}, "hallmarks": hallmarks}
    return groups, data, draw(st.integers(3, 7))


@given(snapshots())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_hidden_group_follows_from_any_table_or_pair_of_tables_of_a_whole_payload(snapshot) -> None:
    from samverkan.measure.models import Campaign
    from samverkan.measure.results import results_from_snapshot
    from samverkan.measure.tests.attacker import payload_tables, recoveries, small_hidden_sums
    from samverkan.measure.tests.factories import core_instrument

    groups, data, min_size = snapshot
    instrument = core_instrument()
    day = timezone.localdate()
    campaign = Campaign(
        name="Egenskap",
        instrument=instrument,
        respondent_groups=groups,
        opens_on=day,
        closes_on=day,
        min_group_size=min_size,
    )
    results = results_from_snapshot(campaign, data, list(instrument.items.order_by("position")))
    payload = results_payload(results)
    hidden = set(_hidden(results))
    tables = payload_tables(payload)
    assert [r for r in recoveries(tables) if r.group in hidden] == []
    assert small_hidden_sums(tables, results.min_group_size) == []
    # Every statistic through its own n: a target mean needs a target n of at least the minimum.
    for level in payload["levels"]:
        for cell in level["groups"]:
            if cell["target_mean"] is not None:
                assert cell["target_n"] >= results.min_group_size
            if cell["n"]:
                assert cell["n"] >= results.min_group_size
    for hallmark in payload["hallmarks"]:
        assert hallmark["alpha"] is None or hallmark["alpha_n"] >= 30
