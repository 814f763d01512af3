"""Onboarding journey without the admin site (issue 9): the operator creates an association, its first admin
joins from the mail and sets a password, invites an analyst, who joins on a phone, logs in and sees it.

The mails are read from django.core.mail.outbox: pytest-django's live server runs in this process with the
locmem mail backend. Clicks and page loads are counted per person and printed (run with -s to see them);
in /admin/ the operator's part alone took 13 page loads and 27 clicks, and the first admin had no mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail

from samverkan.accounts.models import User
from samverkan.tenancy.models import Association, Membership, Role

from .conftest import TIMEOUT_MS, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/inbjudan/#[A-Za-z0-9_-]+")
OPERATOR_PASSWORD = "plattform-lösen-2026"


@dataclass
class Tally:
    """Counts what a person does: document loads (every navigation, redirects land as one) and clicks."""

    name: str
    loads: int = 0
    clicks: int = 0
    steps: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> Any:
        # Every document the server sends and the browser shows counts, also one a script moves on from at
        # once (the invitation page posts the secret after "#"); redirects are not separate pages.
        page.on("response", lambda response: self._responded(page, response))
        return page

    def _responded(self, page: Any, response: Any) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == page.main_frame and response.status < 300:
            self.loads += 1
            self.steps.append(f"{request.method} {response.url.split('//', 1)[1].split('/', 1)[1]}")

    def click(self, locator: Any, *, navigates: bool = True) -> None:
        self.clicks += 1
        if navigates:
            with locator.page.expect_navigation():
                locator.click()
        else:
            locator.click()

    def line(self) -> str:
        return f"{self.name}: {self.loads} page loads, {self.clicks} clicks"


def _link_to(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    match = LINK.search(message.body)
    assert match, message.body
    return match[0]


def _no_serious_violations(page: Any, where: str) -> None:
    violations = serious_violations(page)
    assert violations == [], (where, violations)


def test_new_association_from_the_operator_to_an_analyst_who_sees_it(
    live_server, browser, page, phone, console_errors
) -> None:
    console_errors.allow("status of 410 (Gone)")  # the used link, opened again on purpose at the end
    base = live_server.url
    User.objects.create_superuser("plattform@samverkan.se", OPERATOR_PASSWORD, name="Plattform")

    # 1. The operator: log in, open the platform page from the start page, fill in one form.
    operator_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    operator_context.set_default_timeout(TIMEOUT_MS)
    operator = Tally("operator")
    op = operator.watch(operator_context.new_page())
    op.goto(f"{base}/konto/logga-in/")
    op.fill("#id_username", "plattform@samverkan.se")
    op.fill("#id_password", OPERATOR_PASSWORD)
    operator.click(op.locator("main").get_by_role("button", name="Logga in"))
    operator.click(op.get_by_role("link", name="Plattform: lägg till ett förbund"))
    assert op.locator("main h1").inner_text() == "Plattform"
    _no_serious_violations(op, "platform")
    op.fill("#id_name", "Samordningsförbundet Gamma")
    op.fill("#id_county", "Uppsala län")
    op.fill("#id_agencies", "Försäkringskassan\nArbetsförmedlingen\nRegion Uppsala\nEnköpings kommun\nHåbo kommun")
    op.fill("#id_admin_email", "Chef@Gamma.se")
    operator.click(op.get_by_role("button", name="Skapa förbundet och skicka inbjudan"))
    assert "Samordningsförbundet Gamma är skapat" in op.locator(".messages").inner_text()
    assert "chef@gamma.se" in op.locator("#open-heading + .table-wrap").inner_text()
    screenshot(op, "onboarding-platform")
    gamma = Association.objects.get(slug="samordningsforbundet-gamma")
    assert gamma.agencies.count() == 5

    # 2. The first admin: opens the mail's link, chooses a password, is in.
    admin = Tally("first admin")
    admin.watch(page)
    page.goto(_link_to("chef@gamma.se"))
    page.wait_for_url(f"{base}/inbjudan/svara/")  # the page's script posted the secret after "#" and dropped it
    assert "Samordningsförbundet Gamma" in page.locator("main h1").inner_text()
    _no_serious_violations(page, "invitation, new account")
    screenshot(page, "onboarding-accept")
    page.fill("#id_name", "Greta Chef")
    page.fill("#id_password1", "gamma-förbundet-2026")
    page.fill("#id_password2", "gamma-förbundet-2026")
    admin.click(page.get_by_role("button", name="Skapa konto och gå med"))
    assert page.url == f"{base}/f/samordningsforbundet-gamma/"
    assert "Välkommen till Samordningsförbundet Gamma" in page.locator(".messages").inner_text()

    # 3. The admin invites an analyst: settings → the members page → one form.
    admin.click(page.locator("nav.main-nav").get_by_role("link", name="Inställningar"))
    admin.click(page.get_by_role("link", name="Bjud in, ändra roller och ta bort användare"))
    assert page.locator("main h1").inner_text() == "Användare och roller"
    page.fill("#id_email", "analytiker@gamma.se")
    page.select_option("#id_role", Role.ANALYST)
    admin.clicks += 1  # choosing the role in the list
    admin.click(page.get_by_role("button", name="Skicka inbjudan"))
    assert "analytiker@gamma.se" in page.locator("#pending-heading + .table-wrap").inner_text()
    _no_serious_violations(page, "members")
    screenshot(page, "onboarding-members")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "onboarding-members-phone")

    # 4. The analyst, on a phone: opens the link, chooses a password, is in; later logs in again.
    analyst = Tally("analyst")
    analyst.watch(phone)
    phone.goto(_link_to("analytiker@gamma.se"))
    phone.wait_for_url(f"{base}/inbjudan/svara/")
    _no_serious_violations(phone, "invitation on a phone")
    screenshot(phone, "onboarding-accept-phone")
    phone.fill("#id_name", "Ali Analytiker")
    phone.fill("#id_password1", "siffror-och-ord-99")
    phone.fill("#id_password2", "siffror-och-ord-99")
    analyst.click(phone.get_by_role("button", name="Skapa konto och gå med"))
    assert phone.url == f"{base}/f/samordningsforbundet-gamma/"
    analyst.click(phone.get_by_role("button", name="Logga ut"))
    assert phone.url == f"{base}/konto/logga-in/"
    phone.fill("#id_username", "analytiker@gamma.se")
    phone.fill("#id_password", "siffror-och-ord-99")
    analyst.click(phone.locator("main").get_by_role("button", name="Logga in"))
    assert phone.url == f"{base}/f/samordningsforbundet-gamma/"
    assert phone.locator("main h1").inner_text() == "Samordningsförbundet Gamma"
    assert Membership.objects.get(user__email="analytiker@gamma.se", association=gamma).role == Role.ANALYST
    counts = [f"{tally.line()} ({', '.join(tally.steps)})" for tally in (operator, admin, analyst)]
    loads = operator.loads + admin.loads + analyst.loads
    clicks = operator.clicks + admin.clicks + analyst.clicks
    operator_part = (operator.loads, operator.clicks)

    # The link worked once: opening it again says so.
    phone.goto(_link_to("analytiker@gamma.se"))
    phone.wait_for_url(f"{base}/inbjudan/svara/")
    assert "redan använts" in phone.locator("main").inner_text()
    _no_serious_violations(phone, "invitation already used")

    # The admin's members page now lists the analyst, with a role to change and a removal that asks first.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    row = page.locator("#people-heading + .table-wrap tr").filter(has_text="analytiker@gamma.se")
    assert row.locator("select").input_value() == Role.ANALYST
    row.locator("summary").click()
    assert row.get_by_role("button", name="Ta bort ur förbundet").is_visible()
    _no_serious_violations(page, "members, two people")
    screenshot(page, "onboarding-members-two")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "onboarding-members-two-phone")

    # The platform page now shows the admin and no open invitations.
    op.reload()
    assert "chef@gamma.se" in op.locator("#associations-heading + .table-wrap").inner_text()
    assert "Inga väntande inbjudningar" in op.locator("main").inner_text()
    _no_serious_violations(op, "platform, after")
    op.set_viewport_size({"width": 390, "height": 844})
    screenshot(op, "onboarding-platform-phone")

    print("\n" + "\n".join(counts) + f"\nwhole journey: {loads} page loads, {clicks} clicks")
    # The operator's part: it was 13 page loads and 27 clicks in /admin/, and no mail.
    assert operator_part[0] <= 4 and operator_part[1] <= 3
    operator_context.close()


def test_existing_user_joins_by_logging_in_on_the_invitation_page(live_server, page, console_errors) -> None:
    console_errors.allow("status of 404 (Not Found)")  # the mistyped code, on purpose
    from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, UserFactory
    from samverkan.tenancy.services import invitation_create

    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Epsilon", slug="epsilon")
    UserFactory(email="Styrelse@Kommun.se", name="Stina Styrelse")
    invitation_create(
        association=association,
        email="styrelse@kommun.se",
        role=Role.MEMBER,
        accept_url=lambda token: f"{base}/inbjudan/#{token}",
    )

    # A mistyped code (the no-script way in) says so, in Swedish, and axe finds nothing serious.
    page.goto(f"{base}/inbjudan/")
    page.fill("#invitation-code", "felskriven")
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsätt").click()
    assert "Koden gäller inte" in page.locator("main").inner_text()
    _no_serious_violations(page, "invitation code, error")

    page.goto("about:blank")  # from the mail: a new page, not a change of "#" on the open one
    page.goto(_link_to("styrelse@kommun.se"))
    page.wait_for_url(f"{base}/inbjudan/svara/")
    assert "Du har redan ett konto" in page.locator("main").inner_text()
    _no_serious_violations(page, "invitation, existing account")
    screenshot(page, "onboarding-accept-existing")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in och gå med").click()
    assert page.url == f"{base}/f/epsilon/"
    assert page.locator("main h1").inner_text() == "Samordningsförbundet Epsilon"
