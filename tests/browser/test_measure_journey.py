"""Measure journey: admin creates a campaign, a respondent answers on a phone, admin closes it and reads results."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.measure.models import Campaign, CampaignLink, PendingResponse, Response
from samverkan.measure.tests.factories import core_instrument, ring_answers, submit
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RINGS = ("ring_personal", "ring_team", "ring_organisation", "ring_society")


def test_campaign_from_creation_to_the_three_ring_picture(live_server, page, phone, console_errors) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Journey", slug="journey")
    admin = UserFactory(email="admin@journey.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    instrument = core_instrument()  # transactional tests flush the data migration's core instruments
    log_in(page, base, "admin@journey.se", TEST_PASSWORD)

    # 1. The admin creates a campaign through the form; the core survey is preselected.
    page.goto(f"{base}/f/journey/mat/ny/")
    assert page.locator("#id_instrument option:checked").inner_text().startswith("Integrerad samverkan")
    page.fill("#id_name", "Mätning i webbläsaren")
    page.select_option("#id_instrument", str(instrument.pk))
    page.get_by_label("Insatspersonal").check()
    page.get_by_label("Styrelseledamot").check()
    today = timezone.localdate()
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=14)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa mätomgång").click()
    campaign = Campaign.objects.get(association=association, name="Mätning i webbläsaren")
    assert campaign.instrument == instrument
    assert sorted(campaign.respondent_groups) == ["board", "staff"]
    assert page.url == f"{base}/f/journey/mat/{campaign.pk}/"

    # The campaign page shows one anonymous link per group; take the one for Insatspersonal.
    staff_item = page.locator(".link-item").filter(has_text="Insatspersonal")
    answer_url = staff_item.locator("a.link-url").get_attribute("href")
    token = CampaignLink.objects.get(campaign=campaign, respondent_group="staff").token
    assert answer_url is not None and answer_url.endswith(f"/svara/{token}/")
    qr = staff_item.locator("img")
    qr.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())

    # The answer form on a desktop: axe-core finds nothing serious (the phone is checked below).
    page.goto(answer_url)
    assert serious_violations(page) == []
    screenshot(page, "answer-form-desktop")
    page.goto(f"{base}/f/journey/mat/{campaign.pk}/")

    # 2. A respondent opens the link on a phone (a separate browser context: no session, no cookies).
    phone.goto(answer_url)
    assert phone.locator("html").get_attribute("lang") == "sv"
    assert phone.locator("main h1").inner_text() == "Integrerad samverkan"
    assert serious_violations(phone) == []  # axe-core on the answer form, on a phone
    phone.locator("textarea[name='open_meaning']").fill("Att vi löser saker tillsammans.")

    def last_autosave(response) -> bool:
        body = response.request.post_data or ""
        return response.request.method == "POST" and "action=autosave" in body and "ring_society_target=5" in body

    # The respondent reads the ring labels, not numbers: each description says its ring and its answer, each box
    # says which ring it means (issue 8: the descriptions were numbered 1, 3, 5, the scale said "5 = Beskrivning 3").
    for block in phone.locator(".ring-block").all():
        labels = block.locator(".ring-desc-label").all_inner_texts()
        assert [" ".join(t.split()) for t in labels] == [
            "Ring 1 – Samverkan apart (svar 1)",
            "Ring 2 – Samverkan på fredag (svar 3)",
            "Ring 3 – Integrerad samverkan (svar 5)",
        ]
    # The radios are visually hidden: tap the scale option's label, as a person would. Answers are saved as a
    # draft while one answers (htmx, 600 ms after the last change); wait for the save of the last tap, so that
    # no autosave is still pending when the form is sent (see the report: a late autosave brings the draft back).
    with phone.expect_response(last_autosave):
        for name in RINGS:
            # Today between ring 2 and ring 3, in two years ring 3: chosen by the words on the boxes.
            for code, words, value in ((name, "mellan ring 2 och 3", "4"), (f"{name}_target", "som ring 3", "5")):
                box = phone.locator(f"#q-{code} label.scale-option").filter(has_text=words)
                assert box.count() == 1
                assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 390  # the words fit on the phone
                box.tap()
                assert phone.locator(f"input[name='{code}'][value='{value}']").is_checked()
    phone.locator("#autosave-status").get_by_text("Dina svar är sparade som utkast.").wait_for()
    screenshot(phone, "answer-form-phone")
    submission_key = phone.locator("input[name='submission_key']").input_value()
    csrf = phone.locator("form.questionnaire input[name='csrfmiddlewaretoken']").input_value()

    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka in svaren").click()
    assert phone.url == f"{base}/svara-tack/"
    assert phone.locator("main h1").inner_text() == "Tack för ditt svar!"
    # Stored, sealed, waiting for the group's batch: one person's answers never show on their own.
    assert PendingResponse.objects.filter(campaign=campaign).count() == 1

    # Reloading the thanks page, and the very same form sent again (same one-time key), store nothing new.
    phone.reload()
    resent = {"csrfmiddlewaretoken": csrf, "submission_key": submission_key, "action": "submit"}
    resent.update(dict.fromkeys(RINGS, "4") | {f"{code}_target": "5" for code in RINGS})
    again = phone.request.post(answer_url, form=resent, headers={"Referer": answer_url})
    assert again.ok and again.url == f"{base}/svara-tack/"
    assert PendingResponse.objects.filter(campaign=campaign).count() == 1
    # The same phone opening the link again is told it has answered (a lost reply stores nothing twice),
    # and the next person on it can start afresh with an empty form.
    phone.goto(answer_url)
    assert phone.locator("main h1").inner_text() == "Ditt svar är redan inskickat"
    with phone.expect_navigation():
        phone.get_by_role("button", name="Svara som en ny person").click()
    assert phone.locator("input[type='radio']:checked").count() == 0
    assert phone.locator("input[name='submission_key']").input_value() != submission_key

    # Five more respondents, so that the group passes the minimum group size (5).
    for value in (3, 4, 4, 5, 3):
        submit(campaign, "staff", ring_answers(value), publish_now=False)
    # All six wait, sealed, until someone reads the results (or the round closes): then they are published
    # as one batch, never one person's answer on its own.
    assert Response.objects.filter(campaign=campaign).count() == 0
    assert PendingResponse.objects.filter(campaign=campaign).count() == 6

    # 3. The admin closes the campaign and reads the results.
    # Closing asks first: the campaign page links to a confirmation page whose button closes.
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng mätomgången").click()
    assert page.locator("main h1").inner_text() == "Stäng mätomgången?"
    campaign.refresh_from_db()
    assert campaign.status == "open"
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng mätomgången").click()
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert page.get_by_role("link", name="Stäng mätomgången").count() == 0
    assert page.get_by_role("link", name="Öppna igen").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Visa resultat").click()
    assert page.url == f"{base}/f/journey/mat/{campaign.pk}/resultat/"
    picture = page.locator("svg.ring-picture")
    assert picture.count() == 1
    assert picture.locator("circle.marker").count() == 4
    table = page.get_by_role("table", name="Alla svar per nivå")
    assert table.count() == 1
    assert table.locator("tbody tr").count() == 4
    assert serious_violations(page) == []
    screenshot(page, "results")

    # A closed campaign takes no more answers.
    console_errors.allow("status of 410")  # the browser notes the page's own status, 410 Gone
    phone.goto(answer_url)
    assert phone.locator("main h1").inner_text() == "Enkäten är stängd"


# Every column of the results tables, measured in the browser: on a desktop inside its box (nothing cut off, no
# hidden scroll), on a phone one card per row with every column named by its heading, nothing beyond the screen.
COLUMNS_JS = """
() => {
  const out = [];
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    const table = wrap.querySelector('table');
    const box = wrap.getBoundingClientRect();
    const heads = [...table.querySelectorAll('thead th[scope=col]')];
    const rows = [...table.querySelectorAll('tbody tr')].filter(tr => !tr.querySelector('td[colspan]'));
    out.push({
      caption: table.caption ? table.caption.textContent.trim() : '',
      perGroup: table.classList.contains('results-table'),
      scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
      heads: heads.map(th => { const r = th.getBoundingClientRect();
        return {text: th.textContent.trim().replace(/\\s+/g, ' '), left: r.left - box.left, right: r.right - box.left,
                width: r.width}; }),
      rows: rows.map(tr => [...tr.querySelectorAll('td')].map(td => { const r = td.getBoundingClientRect();
        return {label: td.dataset.label || null, before: getComputedStyle(td, '::before').content,
                left: r.left, right: r.right, height: r.height}; })),
      boxWidth: box.width,
    });
  }
  return {tables: out, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
}
"""


def _demo_results() -> tuple[Campaign, str]:
    """The demo's second round of Norra Västmanland (the page the finding was reported on) and its slug."""
    from django.core.management import call_command

    core_instrument()  # transactional tests flush the data migration's core instruments
    call_command("load_demo", stdout=io.StringIO())
    campaign = (
        Campaign.objects.filter(association__slug="norra-vastmanland", previous__isnull=False)
        .order_by("-opens_on")
        .first()
    )
    assert campaign is not None
    return campaign, "norra-vastmanland"


def test_results_tables_show_every_column_on_a_desktop_and_on_a_phone(live_server, page, browser) -> None:
    """ "Gap till mål" was cut off at 1280 px and a phone showed three columns of nine (issue 8, finding 2)."""
    from samverkan.tenancy.demo import DEMO_PASSWORD

    campaign, slug = _demo_results()
    url = f"{live_server.url}/f/{slug}/mat/{campaign.pk}/resultat/"
    # A member of the board, reading: members see the whole results page (see the settings page's roles).
    log_in(page, live_server.url, "medlem@demo.samverkan.se", DEMO_PASSWORD)
    page.goto(url)
    desktop = page.evaluate(COLUMNS_JS)
    level_tables = [t for t in desktop["tables"] if t["perGroup"]]
    assert len(level_tables) == 4
    assert [h["text"] for h in level_tables[0]["heads"]] == [
        "Grupp",
        "n",
        "Median",
        "Medel (95 % KI)",
        "Andel ring 1 / 2 / 3",
        "Fördelning 1–5",
        "Enighet",
        "Förflyttning",
        "Gap till mål",
    ]
    for table in desktop["tables"]:
        assert table["scrollWidth"] <= table["clientWidth"] + 1, table["caption"]  # nothing to scroll to
        for head in table["heads"]:
            assert head["width"] > 0 and head["left"] >= -1 and head["right"] <= table["boxWidth"] + 1, (
                table["caption"],
                head,
            )
    assert desktop["pageWidth"] <= desktop["viewport"]
    screenshot(page, "results-desktop")

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2, locale="sv-SE"
    )
    try:
        phone = context.new_page()
        log_in(phone, live_server.url, "medlem@demo.samverkan.se", DEMO_PASSWORD)
        phone.goto(url)
        narrow = phone.evaluate(COLUMNS_JS)
        assert narrow["pageWidth"] <= 390  # no sideways scrolling of the page
        assert len(narrow["tables"]) >= 6
        for table in narrow["tables"]:
            headings = [h["text"] for h in table["heads"]][1:]  # the first column heads each card
            assert table["rows"], table["caption"]
            for row in table["rows"]:
                assert [cell["label"] for cell in row] == headings, table["caption"]
                for cell in row:
                    assert cell["before"] == f'"{cell["label"]}"'  # the heading is shown beside the value
                    assert cell["height"] > 0 and cell["left"] >= 0 and cell["right"] <= 390, (table["caption"], cell)
        assert serious_violations(phone) == []  # axe-core on the results page, on a phone
        screenshot(phone, "results-phone")
    finally:
        context.close()
    assert serious_violations(page) == []  # and on a desktop
