"""Workshop live session in a real browser: the facilitator's screen and a phone, side by side.

Two browser contexts (no shared cookies): the facilitator, logged in, with the big screen and the
workshop page; the phone, anonymous, joining by code. The screen is never reloaded: a marker set in
its window survives every update, so what appears there came through the polling.
"""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role
from samverkan.workshops import services, wordcloud
from samverkan.workshops.demo import load_workshops_demo
from samverkan.workshops.models import Answer, Prompt, PromptState, Workshop
from samverkan.workshops.tests.factories import live_workshop

from .conftest import ARTIFACTS, log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1920, "height": 1080}
LIVE_MS = 8_000  # "within a couple of seconds": polls are 1 s (screen) and 2 s (phones); generous for a busy CI


@pytest.fixture(autouse=True, scope="module")
def _lemmatiser_loaded() -> None:
    # The live server runs in this process; a cold process shows the list first and the cloud a poll later.
    wordcloud.warm()


def _setup() -> tuple[Any, Workshop]:
    association = AssociationFactory(name="Samordningsförbundet Norra Västmanland", slug="norra-vastmanland")
    admin = UserFactory(email="ledare@nv.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    with scopes_disabled():
        workshop = live_workshop(association, name="Beredningsgruppen i december")
    return association, workshop


def _mark_no_reload(page: Any) -> None:
    page.evaluate("window.__noReload = 'still here'")


def _not_reloaded(page: Any) -> bool:
    return bool(page.evaluate("window.__noReload === 'still here'"))


def test_phone_answers_reach_the_screen_hidden_ones_leave_it_and_the_room_moves(
    live_server, page, phone, console_errors
) -> None:
    base = live_server.url
    association, workshop = _setup()
    log_in(page, base, "ledare@nv.se", TEST_PASSWORD)
    screen = page.context.new_page()
    screen.set_viewport_size(SCREEN)
    screen.goto(f"{base}/f/{association.slug}/workshop/{workshop.pk}/skarm/")
    assert screen.locator(".screen-code").inner_text() == workshop.code
    _mark_no_reload(screen)

    # The phone joins by typing the code (lower case, as people type it) on /w/.
    phone.goto(f"{base}/w/")
    phone.fill("#kod", workshop.code.lower())
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gå med").click()
    assert phone.url == f"{base}/w/{workshop.code}/"
    phone.get_by_label("Ditt svar").fill("Att se individens behov utan gränser")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka").click()
    assert "Tack! Ditt svar är skickat." in phone.content()
    phone.get_by_label("Ett svar till").fill("Olämpligt om en namngiven kollega")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka").click()

    # Both reach the screen without a reload, in the list and in the word cloud.
    screen.locator(".screen-list li", has_text="Olämpligt").wait_for(timeout=LIVE_MS)
    screen.locator(".screen-list li", has_text="individens behov").wait_for(timeout=LIVE_MS)
    screen.locator("svg.wordcloud text", has_text="individ").wait_for(timeout=LIVE_MS)
    assert _not_reloaded(screen)

    # The facilitator hides one on the workshop page: it leaves the screen, without a reload.
    page.goto(f"{base}/f/{association.slug}/workshop/{workshop.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Dölj – Olämpligt").click()
    screen.locator(".screen-list li", has_text="Olämpligt").wait_for(state="detached", timeout=LIVE_MS)
    assert "kollega" not in screen.content()
    assert _not_reloaded(screen)
    with scopes_disabled():
        assert Answer.objects.filter(hidden=True).count() == 1  # kept

    # The phone edits its remaining answer.
    _mark_no_reload(phone)
    phone.locator(".own-answers li", has_text="individens behov").get_by_role("link").click()
    phone.get_by_label("Ditt svar").fill("Att se individens behov, tillsammans")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Spara").click()
    screen.locator(".screen-list li", has_text="tillsammans").wait_for(timeout=LIVE_MS)

    # The facilitator moves the room to voting: the phone follows by itself, the screen too.
    _mark_no_reload(phone)
    page.select_option("#step-select", "voting")
    with page.expect_navigation():
        page.get_by_role("button", name="Flytta", exact=True).click()
    phone.get_by_role("heading", name="Röstning").wait_for(timeout=LIVE_MS)
    screen.get_by_text("Röstning: rösta på telefonen.").wait_for(timeout=LIVE_MS)
    assert _not_reloaded(phone) and _not_reloaded(screen)


def test_phone_keeps_what_it_is_typing_when_the_room_changes(live_server, page, phone, console_errors) -> None:
    base = live_server.url
    _association, workshop = _setup()
    with scopes_disabled():
        second = Prompt.objects.create(workshop=workshop, text="Vad hindrar oss?", order=2)
    phone.goto(f"{base}/w/{workshop.code}/")
    phone.get_by_label("Ditt svar").fill("Halvskrivet svar som inte får försvinna")
    with scopes_disabled():
        services.prompt_set_state(prompt=second, state=PromptState.OPEN)
    phone.get_by_role("heading", name="Vad hindrar oss?").wait_for(timeout=LIVE_MS)
    assert phone.locator(f"#svar-{workshop.prompts.first().pk}-text").input_value() == (
        "Halvskrivet svar som inte får försvinna"
    )


def test_join_and_answer_work_without_javascript(live_server, browser, console_errors) -> None:
    base = live_server.url
    _association, workshop = _setup()
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="sv-SE")
    console_errors.watch(context)
    phone = context.new_page()
    phone.goto(f"{base}/w/")
    phone.fill("#kod", workshop.code)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gå med").click()
    phone.get_by_label("Ditt svar").fill("Utan JavaScript går det också")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka").click()
    assert "Tack! Ditt svar är skickat." in phone.content()
    phone.locator(".own-answers li", has_text="Utan JavaScript").get_by_role("link").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ta bort mitt svar").click()
    assert "Ditt svar är borttaget." in phone.content()
    with scopes_disabled():
        assert not Answer.objects.exists()
    context.close()


def test_phone_pages_and_the_screen_are_axe_clean_and_look_right(live_server, page, phone, console_errors) -> None:
    base = live_server.url
    association, workshop = _setup()
    console_errors.allow("status of 404")
    phone.goto(f"{base}/w/")
    assert serious_violations(phone) == []
    screenshot(phone, "workshop-phone-join")
    phone.goto(f"{base}/w/?kod=XXXXXX")
    assert serious_violations(phone) == []
    phone.goto(f"{base}/w/{workshop.code}/")
    assert serious_violations(phone) == []
    phone.get_by_label("Ditt svar").fill("Korta kontaktvägar och förtroende för varandras kompetens")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka").click()
    assert serious_violations(phone) == []
    screenshot(phone, "workshop-phone-answered")
    phone.locator(".own-answers li", has_text="Korta").get_by_role("link").click()
    assert serious_violations(phone) == []
    screenshot(phone, "workshop-phone-edit")
    with scopes_disabled():
        services.workshop_set_step(workshop=workshop, step="themes")
    phone.goto(f"{base}/w/{workshop.code}/")
    assert serious_violations(phone) == []

    # The big screen of the seed's day: 22 answers, list and word cloud.
    with scopes_disabled():
        demo = load_workshops_demo([association])
        assert demo is not None
    log_in(page, base, "ledare@nv.se", TEST_PASSWORD)
    page.set_viewport_size(SCREEN)
    page.goto(f"{base}/f/{association.slug}/workshop/{demo.pk}/skarm/")
    assert page.locator(".screen-list li").count() == 22
    assert page.locator("svg.wordcloud text").count() >= 25
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "workshop-screen-demo.png"))  # the screen as the room sees it
    # A live screen with the join code and QR, a few answers.
    with scopes_disabled():
        services.workshop_set_step(workshop=workshop, step="answering")
        first = workshop.prompts.first()
        for i, text in enumerate(demo_texts()[:6]):
            services.answer_send(prompt=first, participant=f"skarm-{i}", text=text)
    page.goto(f"{base}/f/{association.slug}/workshop/{workshop.pk}/skarm/")
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "workshop-screen-live.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/f/{association.slug}/workshop/{workshop.pk}/")
    assert serious_violations(page) == []
    screenshot(page, "workshop-facilitator")


def demo_texts() -> list[str]:
    from samverkan.workshops.demo import SEED_ANSWERS

    return list(SEED_ANSWERS)
