"""Themes in a real browser: the facilitator edits the grouping, a phone votes, the screen shows the result.

The seed workshop's 22 answers, grouped when the prompt closes; axe-core on the themes page, the
phone's voting page and the big screen's result. Screenshots go to the browser artifacts folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role
from samverkan.workshops import services
from samverkan.workshops.models import PromptState, Step, Theme, ThemeVote, Workshop
from samverkan.workshops.tests.factories import live_workshop, open_prompt

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = [
    " ".join(line.split())
    for line in (Path(__file__).resolve().parents[2] / "samverkan/workshops/tests/fixtures/seed_answers.txt")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]


def _grouped() -> Workshop:
    association = AssociationFactory(name="Samordningsförbundet Norra Västmanland", slug="norra-vastmanland")
    admin = UserFactory(email="ledare@nv.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    with scopes_disabled():
        workshop = live_workshop(association, name="Beredningsgruppen i december")
        prompt = open_prompt(workshop)
        for i, text in enumerate(SEED):
            services.answer_send(prompt=prompt, participant=f"phone-{i}", text=text)
        services.prompt_set_state(prompt=prompt, state=PromptState.CLOSED)
    return workshop


def test_facilitator_renames_and_moves_then_a_phone_votes_and_the_screen_shows_the_result(
    live_server, page, phone, console_errors
) -> None:
    base = live_server.url
    workshop = _grouped()
    with scopes_disabled():
        first, second = list(Theme.objects.filter(prompt__workshop=workshop))[:2]
        answer = first.links.first().answer
    log_in(page, base, "ledare@nv.se", TEST_PASSWORD)
    page.goto(f"{base}/f/norra-vastmanland/workshop/{workshop.pk}/teman/")
    assert serious_violations(page) == []
    # Rename the first theme, without JavaScript needed (a plain form).
    page.fill(f"#label-{first.pk}", "Individen i centrum")
    page.fill(f"#def-{first.pk}", "Utgå från individens behov.")
    page.locator(f"#tema-{first.pk}").get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.locator(f"#label-{first.pk}").input_value() == "Individen i centrum"
    # Move one of its answers to the second theme.
    page.select_option(f"#to-{answer.pk}", str(second.pk))
    page.locator(f"#svar-{answer.pk}").get_by_role("button", name="Flytta").click()
    page.wait_for_load_state()
    assert page.locator(f"#tema-{second.pk} #svar-{answer.pk}").count() == 1
    screenshot(page, "workshop-themes-edit")

    # The room votes: this phone plus four more (the minimum group size is 5).
    with scopes_disabled():
        services.workshop_set_step(workshop=workshop, step=Step.VOTING)
    phone.goto(f"{base}/w/{workshop.code}/")
    phone.locator(f'input[name="tema-{first.pk}"][value="2"]').check()
    phone.locator(f'input[name="tema-{second.pk}"][value="1"]').check()
    assert serious_violations(phone) == []
    screenshot(phone, "workshop-themes-phone-vote")
    phone.get_by_role("button", name="Rösta").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Din röst är sparad.", exact=True).count() == 1
    with scopes_disabled():
        from samverkan.workshops import theme_services

        prompt = first.prompt
        for i in range(4):
            theme_services.votes_cast(prompt=prompt, participant=f"other-{i}", values={first.pk: 3})
        assert ThemeVote.objects.filter(theme=first).count() == 5
        services.workshop_set_step(workshop=workshop, step=Step.RESULT)

    screen = page.context.new_page()
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.goto(f"{base}/f/norra-vastmanland/workshop/{workshop.pk}/skarm/")
    row = screen.locator("tr", has_text="Individen i centrum")
    assert row.locator("td").all_inner_texts() == ["5", "14"]
    second_row = screen.locator("tr", has=screen.locator("th", has_text=second.label))
    assert "färre än 5 röster" in second_row.inner_text()
    assert serious_violations(screen) == []
    screenshot(screen, "workshop-themes-screen-result")
    assert console_errors.unexpected() == []


def test_the_phone_votes_without_javascript(live_server, browser: Any) -> None:
    base = live_server.url
    workshop = _grouped()
    with scopes_disabled():
        services.workshop_set_step(workshop=workshop, step=Step.VOTING)
        theme = Theme.objects.filter(prompt__workshop=workshop).first()
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="sv-SE")
    phone = context.new_page()
    phone.goto(f"{base}/w/{workshop.code}/")
    phone.locator(f'input[name="tema-{theme.pk}"][value="3"]').check()
    phone.get_by_role("button", name="Rösta").click()
    assert phone.get_by_text("Din röst är sparad.", exact=True).count() == 1
    with scopes_disabled():
        assert list(ThemeVote.objects.values_list("theme_id", "value")) == [(theme.pk, 3)]
    context.close()
