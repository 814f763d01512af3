"""Onboarding without the admin site: invitations by e-mail, the members page, the platform page.

Issue 9 ("Platform"): the operator had to invent the first admin's password, no mail was sent, and an
association admin could not add a colleague or a board member.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.common.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from samverkan.tenancy import services
from samverkan.tenancy.models import Agency, AgencyKind, Association, Membership, MembershipInvitation, Role
from samverkan.tenancy.services import OnboardingError

LINK = re.compile(r"https?://\S+/inbjudan/#(?P<token>[A-Za-z0-9_-]+)")


def _url(token: str) -> str:
    return f"http://testserver/inbjudan/#{token}"


def _token_from_last_mail() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match["token"]


def _invite(actors, email: str = "ny@alfa.se", role: str = Role.ANALYST) -> tuple[MembershipInvitation, str]:
    invitation = services.invitation_create(
        association=actors.association, email=email, role=role, invited_by=actors.admin, accept_url=_url
    )
    return invitation, _token_from_last_mail()


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf_post(client: Client, path: str, data: dict[str, str]):
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, page.content.decode()[:500]
    return client.post(path, {**data, "csrfmiddlewaretoken": token[1]})


def _open(client: Client, token: str) -> None:
    """What the page's script does with the secret after "#" (or the person typing the code)."""
    response = _csrf_post(client, OPEN, {"code": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("tenancy:invitation_accept")


ACCEPT = "/inbjudan/svara/"
OPEN = "/inbjudan/"
NEW_ACCOUNT = {"name": "Nina Ny", "password1": "grön-tekanna-vid-ån", "password2": "grön-tekanna-vid-ån"}


# --- Who may see the new pages -------------------------------------------------------------------------------


def _association_urls(actors) -> list[tuple[str, str]]:
    other_invitation = MembershipInvitation.objects.create(
        association=actors.association,
        email="vantar@alfa.se",
        token_hash="x" * 64,
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    member = Membership.objects.get(user=actors.member)
    slug = actors.association.slug
    return [
        ("get", reverse("tenancy:members", args=[slug])),
        ("post", reverse("tenancy:members", args=[slug])),
        ("post", reverse("tenancy:member_role", args=[slug, member.pk])),
        ("post", reverse("tenancy:member_remove", args=[slug, member.pk])),
        ("post", reverse("tenancy:invitation_resend", args=[slug, other_invitation.pk])),
        ("post", reverse("tenancy:invitation_withdraw", args=[slug, other_invitation.pk])),
    ]


def test_members_pages_are_404_for_the_other_associations_admin(actors) -> None:
    client = actors.client_for(actors.outsider)
    for method, url in _association_urls(actors):
        assert getattr(client, method)(url, {"role": Role.ADMIN}).status_code == 404, url
    assert Membership.objects.filter(user=actors.member, role=Role.MEMBER).exists()
    assert MembershipInvitation.objects.filter(email="vantar@alfa.se").exists()


@pytest.mark.parametrize("who", ["member", "analyst"])
def test_members_pages_are_403_for_a_member_or_analyst(actors, who: str) -> None:
    client = actors.client_for(getattr(actors, who))
    for method, url in _association_urls(actors):
        assert getattr(client, method)(url, {"role": Role.ADMIN}).status_code == 403, url
    assert Membership.objects.get(user=actors.member).role == Role.MEMBER
    assert len(mail.outbox) == 0


def test_members_pages_send_the_anonymous_visitor_to_login(client, actors) -> None:
    for method, url in _association_urls(actors):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/logga-in/")


def _platform_urls(actors) -> list[tuple[str, str]]:
    invitation, _token = _invite(actors)
    mail.outbox.clear()
    return [
        ("get", reverse("tenancy:platform")),
        ("post", reverse("tenancy:platform")),
        ("post", reverse("tenancy:platform_invitation_resend", args=[invitation.pk])),
    ]


@pytest.mark.parametrize("who", ["admin", "member", "outsider"])
def test_platform_pages_are_403_for_anyone_but_the_operator(actors, who: str) -> None:
    client = actors.client_for(getattr(actors, who))
    for method, url in _platform_urls(actors):
        response = getattr(client, method)(url, {"form": "create", "name": "X", "county": "Y", "agencies": "Z"})
        assert response.status_code == 403, url
    assert not Association.objects.filter(name="X").exists()
    assert len(mail.outbox) == 0


def test_platform_pages_send_the_anonymous_visitor_to_login(client, actors) -> None:
    for method, url in _platform_urls(actors):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")


def test_staff_given_the_add_association_permission_is_an_operator(actors) -> None:
    staff = UserFactory(email="drift@plattform.se", is_staff=True)
    client = actors.client_for(staff)
    assert client.get(reverse("tenancy:platform")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_association"))
    assert client.get(reverse("tenancy:platform")).status_code == 200


def test_an_unknown_invitation_code_is_404_in_swedish_and_kept_in_the_field(db) -> None:
    client = _csrf_client()
    response = _csrf_post(client, OPEN, {"code": "felskriven"})
    assert response.status_code == 404
    assert "Koden gäller inte" in response.content.decode()
    assert 'value="felskriven"' in response.content.decode()
    # Without a code the form page asks for one.
    assert client.get(ACCEPT)["Location"] == OPEN


# --- The operator: a new association ----------------------------------------------------------------------


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser("plattform@samverkan.se", TEST_PASSWORD, name="Plattform")


def test_operator_creates_an_association_with_its_agencies_and_mails_the_first_admin(actors, operator) -> None:
    client = actors.client_for(operator)
    response = client.post(
        reverse("tenancy:platform"),
        {
            "form": "create",
            "name": "Samordningsförbundet Gamma",
            "county": "Uppsala län",
            "slug": "",
            "agencies": "försäkringskassan\nArbetsförmedlingen\nRegion Uppsala\nEnköpings kommun\n\nEnköpings kommun",
            "admin_email": " Chef@Gamma.SE ",
        },
    )
    assert response.status_code == 302
    gamma = Association.objects.get(name="Samordningsförbundet Gamma")
    assert gamma.slug == "samordningsforbundet-gamma"
    kinds = {a.name: a.kind for a in gamma.agencies.all()}
    # The existing agency is reused whatever the case, not duplicated; a new one's kind is read from its name.
    assert kinds == {
        "Försäkringskassan": AgencyKind.FK,
        "Arbetsförmedlingen": AgencyKind.AF,
        "Region Uppsala": AgencyKind.REGION,
        "Enköpings kommun": AgencyKind.MUNICIPALITY,
    }
    assert Agency.objects.filter(name__iexact="försäkringskassan").count() == 1
    invitation = MembershipInvitation.objects.get(association=gamma)
    assert (invitation.email, invitation.role) == ("chef@gamma.se", Role.ADMIN)
    assert mail.outbox[-1].to == ["chef@gamma.se"]
    assert "Samordningsförbundet Gamma" in mail.outbox[-1].subject
    # Nobody had to invent a password: there is no user yet, the admin chooses one.
    assert not User.objects.filter(email__iexact="chef@gamma.se").exists()
    page = client.get(reverse("tenancy:platform")).content.decode()
    assert "chef@gamma.se" in page and "Ingen ännu" in page


def test_operator_form_with_a_taken_slug_says_so_in_swedish_and_keeps_what_was_typed(actors, operator) -> None:
    client = actors.client_for(operator)
    data = {
        "form": "create",
        "name": "Nytt förbund",
        "county": "Uppsala län",
        "slug": "alfa",
        "agencies": "Tierps kommun",
        "admin_email": "chef@nytt.se",
    }
    response = client.post(reverse("tenancy:platform"), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Kortnamnet alfa används redan" in content
    assert 'value="Nytt förbund"' in content and "Tierps kommun" in content and 'value="chef@nytt.se"' in content
    assert not Association.objects.filter(name="Nytt förbund").exists()
    assert not Agency.objects.filter(name="Tierps kommun").exists()
    assert len(mail.outbox) == 0


def test_nothing_is_kept_when_the_first_admins_mail_cannot_be_sent(actors, operator, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    response = actors.client_for(operator).post(
        reverse("tenancy:platform"),
        {
            "form": "create",
            "name": "Förbundet Utan Post",
            "county": "Uppsala län",
            "agencies": "Heby kommun",
            "admin_email": "chef@post.se",
        },
    )
    assert response.status_code == 400
    assert "Mejlet kunde inte skickas" in response.content.decode()
    assert not Association.objects.filter(name="Förbundet Utan Post").exists()
    assert not Agency.objects.filter(name="Heby kommun").exists()
    assert not MembershipInvitation.objects.exists()


def test_operator_invites_a_new_admin_to_an_existing_association_and_resends(actors, operator) -> None:
    client = actors.client_for(operator)
    response = client.post(
        reverse("tenancy:platform"),
        {"form": "invite", "invite-association": actors.other_association.pk, "invite-email": "ny.chef@beta.se"},
    )
    assert response.status_code == 302
    invitation = MembershipInvitation.objects.get(email="ny.chef@beta.se")
    assert (invitation.association, invitation.role) == (actors.other_association, Role.ADMIN)
    first = _token_from_last_mail()
    client.post(reverse("tenancy:platform_invitation_resend", args=[invitation.pk]))
    assert _token_from_last_mail() != first
    assert len(mail.outbox) == 2


# --- The association admin: invitations ------------------------------------------------------------------


def test_admin_invites_a_colleague_by_email_with_a_role_and_sees_it_pending(actors) -> None:
    client = actors.client_for(actors.admin)
    url = reverse("tenancy:members", args=["alfa"])
    response = client.post(url, {"email": "Styrelse@Kommun.se", "role": Role.MEMBER})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["styrelse@kommun.se"]
    assert "Alma Admin" in message.body and "medlem" in message.body and "Samordningsförbundet Alfa" in message.body
    page = client.get(url).content.decode()
    assert "styrelse@kommun.se" in page and "Väntande inbjudningar" in page


def test_invitation_form_error_is_swedish_and_keeps_what_was_typed(actors) -> None:
    response = actors.client_for(actors.admin).post(
        reverse("tenancy:members", args=["alfa"]), {"email": "inte-en-adress", "role": Role.ANALYST}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in content
    assert 'value="inte-en-adress"' in content
    assert '<option value="analyst" selected>' in content
    assert len(mail.outbox) == 0


def test_inviting_someone_already_in_the_association_is_refused_whatever_the_case(actors) -> None:
    response = actors.client_for(actors.admin).post(
        reverse("tenancy:members", args=["alfa"]), {"email": "MEMBER@alfa.se", "role": Role.ADMIN}
    )
    assert response.status_code == 400
    assert "member@alfa.se är redan med i förbundet" in response.content.decode()
    assert Membership.objects.get(user=actors.member).role == Role.MEMBER


def test_inviting_the_same_address_again_renews_the_one_invitation(actors) -> None:
    first, old_token = _invite(actors, "ny@alfa.se", Role.MEMBER)
    again, new_token = _invite(actors, "NY@alfa.se", Role.ANALYST)
    assert first.pk == again.pk
    assert MembershipInvitation.objects.filter(email="ny@alfa.se").count() == 1
    assert MembershipInvitation.objects.get().role == Role.ANALYST
    assert services.invitation_accept_new_account(token=new_token, name="Ny", password="x" * 12)
    with pytest.raises(OnboardingError):
        services.invitation_accept_new_account(token=old_token, name="Ny", password="x" * 12)


def test_only_a_hash_of_the_invitation_token_is_stored(actors) -> None:
    invitation, token = _invite(actors)
    row = MembershipInvitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(row)
    assert row["token_hash"] == services.hash_token(token)


def test_invitation_link_expires_after_the_configured_days(actors, settings) -> None:
    settings.SAMVERKAN_INVITATION_DAYS = 3
    invitation, token = _invite(actors)
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    MembershipInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    _open(client, token)
    response = client.get(ACCEPT)
    assert response.status_code == 410
    assert "Länken har gått ut" in response.content.decode()
    with pytest.raises(OnboardingError, match="gått ut"):
        services.invitation_accept_new_account(token=token, name="Ny", password="x" * 12)
    assert not User.objects.filter(email="ny@alfa.se").exists()


def test_the_default_expiry_is_fourteen_days(actors) -> None:
    invitation, _token = _invite(actors)
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)


def test_an_expired_invitation_can_be_sent_again_with_a_new_link(actors) -> None:
    invitation, old = _invite(actors)
    MembershipInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client = actors.client_for(actors.admin)
    assert "Utgången" in client.get(reverse("tenancy:members", args=["alfa"])).content.decode()
    client.post(reverse("tenancy:invitation_resend", args=["alfa", invitation.pk]))
    new = _token_from_last_mail()
    assert new != old
    assert services.invitation_accept_new_account(token=new, name="Ny", password="x" * 12)
    with pytest.raises(OnboardingError):
        services.invitation_accept(token=old, user=User.objects.get(email="ny@alfa.se"))


def test_a_withdrawn_invitation_link_no_longer_works(actors) -> None:
    invitation, token = _invite(actors)
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:invitation_withdraw", args=["alfa", invitation.pk]))
    assert response.status_code == 302
    assert not MembershipInvitation.objects.exists()
    assert _csrf_post(Client(), OPEN, {"code": token}).status_code == 404


def test_admin_cannot_resend_or_withdraw_another_associations_invitation(actors) -> None:
    theirs = services.invitation_create(
        association=actors.other_association, email="x@beta.se", role=Role.MEMBER, accept_url=_url
    )
    client = actors.client_for(actors.admin)
    assert client.post(reverse("tenancy:invitation_resend", args=["alfa", theirs.pk])).status_code == 404
    assert client.post(reverse("tenancy:invitation_withdraw", args=["alfa", theirs.pk])).status_code == 404
    assert MembershipInvitation.objects.filter(pk=theirs.pk).exists()
    assert len(mail.outbox) == 1


# --- The invited person --------------------------------------------------------------------------------------


def test_new_person_sets_their_own_password_and_lands_in_the_association_with_csrf_enforced(actors) -> None:
    _invitation, token = _invite(actors, "ny@alfa.se", Role.ANALYST)
    client = _csrf_client()
    assert client.post(OPEN, {"code": token}).status_code == 403  # the code page's POST needs CSRF too
    _open(client, token)
    page = client.get(ACCEPT).content.decode()
    assert "Samordningsförbundet Alfa" in page and "ny@alfa.se" in page
    # Without the CSRF token the POST is refused and nothing is made.
    assert client.post(ACCEPT, NEW_ACCOUNT).status_code == 403
    assert not User.objects.filter(email="ny@alfa.se").exists()
    response = _csrf_post(client, ACCEPT, NEW_ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == reverse("tenancy:start", args=["alfa"])
    user = User.objects.get(email="ny@alfa.se")
    assert user.name == "Nina Ny" and user.check_password(NEW_ACCOUNT["password1"])
    assert Membership.objects.get(user=user, association=actors.association).role == Role.ANALYST
    start = client.get(response["Location"])
    assert start.status_code == 200 and "Välkommen till Samordningsförbundet Alfa" in start.content.decode()
    # And the password works for an ordinary login later.
    later = Client().post("/konto/logga-in/", {"username": "ny@alfa.se", "password": NEW_ACCOUNT["password1"]})
    assert later.status_code == 302


def test_invitation_link_works_only_once(actors) -> None:
    _invitation, token = _invite(actors)
    client = _csrf_client()
    _open(client, token)
    assert _csrf_post(client, ACCEPT, NEW_ACCOUNT).status_code == 302
    again = Client()
    _open(again, token)
    response = again.get(ACCEPT)
    assert response.status_code == 410
    assert "redan använts" in response.content.decode()
    with pytest.raises(OnboardingError, match="redan använts"):
        services.invitation_accept(token=token, user=User.objects.get(email="ny@alfa.se"))
    assert Membership.objects.filter(user__email="ny@alfa.se").count() == 1


def test_opening_the_link_does_not_use_it_up(actors) -> None:
    # Mail scanners open links: only the POST of the person joining uses the invitation.
    invitation, token = _invite(actors)
    for _ in range(3):
        scanner = Client()
        _open(scanner, token)
        assert scanner.get(ACCEPT).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_new_persons_password_is_checked_by_djangos_validators_in_swedish(actors) -> None:
    _invitation, token = _invite(actors)
    client = _csrf_client()
    _open(client, token)
    response = _csrf_post(client, ACCEPT, {"name": "Nina Ny", "password1": "12345678", "password2": "12345678"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "lösenordet är för kort" in content
    assert "enbart numeriskt" in content
    assert 'value="Nina Ny"' in content
    response = _csrf_post(client, ACCEPT, {"name": "Nina Ny", "password1": "a-long-enough-1", "password2": "other"})
    assert "Lösenorden är inte lika." in response.content.decode()
    assert not User.objects.filter(email="ny@alfa.se").exists()


def test_existing_user_with_a_differently_cased_email_gains_the_membership_by_logging_in(actors) -> None:
    person = UserFactory(email="Person@Kommun.SE", name="Per Son")
    _invitation, token = _invite(actors, "person@kommun.se", Role.MEMBER)
    client = _csrf_client()
    _open(client, token)
    page = client.get(ACCEPT).content.decode()
    assert "Du har redan ett konto" in page
    assert _csrf_post(client, ACCEPT, {"password": "fel-lösenord"}).status_code == 400
    assert not Membership.objects.filter(user=person).exists()
    response = _csrf_post(client, ACCEPT, {"password": TEST_PASSWORD})
    assert response["Location"] == reverse("tenancy:start", args=["alfa"])
    assert Membership.objects.get(user=person, association=actors.association).role == Role.MEMBER
    assert User.objects.filter(email__iexact="person@kommun.se").count() == 1


def test_logged_in_existing_user_joins_with_one_click(actors) -> None:
    _invitation, token = _invite(actors, "outsider@beta.se", Role.ANALYST)
    client = actors.client_for(actors.outsider)
    _open(client, token)
    assert "Gå med i Samordningsförbundet Alfa" in client.get(ACCEPT).content.decode()
    response = client.post(ACCEPT)
    assert response["Location"] == reverse("tenancy:start", args=["alfa"])
    assert Membership.objects.get(user=actors.outsider, association=actors.association).role == Role.ANALYST
    # Still admin of Beta: joining another association takes nothing away.
    assert Membership.objects.get(user=actors.outsider, association=actors.other_association).role == Role.ADMIN


def test_an_invitation_cannot_be_taken_by_someone_logged_in_with_another_address(actors) -> None:
    _invitation, token = _invite(actors, "ny@alfa.se", Role.ADMIN)
    client = actors.client_for(actors.outsider)
    _open(client, token)
    assert "Du är inloggad med en annan adress" in client.get(ACCEPT).content.decode()
    assert client.post(ACCEPT).status_code == 403
    assert not Membership.objects.filter(user=actors.outsider, association=actors.association).exists()
    with pytest.raises(OnboardingError):
        services.invitation_accept(token=token, user=actors.outsider)


def test_an_invitation_never_demotes_someone_who_joined_meanwhile(actors) -> None:
    _invitation, token = _invite(actors, "ny@alfa.se", Role.MEMBER)
    person = UserFactory(email="ny@alfa.se")
    MembershipFactory(user=person, association=actors.association, role=Role.ADMIN)
    services.invitation_accept(token=token, user=person)
    assert Membership.objects.get(user=person).role == Role.ADMIN


def test_the_invitation_secret_never_travels_in_an_address_a_server_logs(actors) -> None:
    _invitation, token = _invite(actors)
    body = mail.outbox[-1].body
    # In the link only after "#" (never sent by a browser), and as a code to type if the link fails.
    assert f"/inbjudan/#{token}" in body and f"koden {token}" in body
    assert f"/{token}" not in body
    client = Client()
    _open(client, token)
    assert token not in client.get(ACCEPT).content.decode()


def test_a_renewed_invitation_opened_with_the_old_code_in_the_session_says_the_link_no_longer_works(actors) -> None:
    invitation, token = _invite(actors)
    client = Client()
    _open(client, token)
    services.invitation_resend(association=actors.association, invitation_id=invitation.pk, accept_url=_url)
    response = client.get(ACCEPT)
    assert response.status_code == 404
    assert "skickats på nytt" in response.content.decode()


# --- Roles and removal ---------------------------------------------------------------------------------------


def test_admin_changes_a_members_role(actors) -> None:
    membership = Membership.objects.get(user=actors.member)
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:member_role", args=["alfa", membership.pk]), {"role": Role.ANALYST})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ANALYST


def test_admin_removes_a_member_who_then_loses_access(actors) -> None:
    membership = Membership.objects.get(user=actors.member)
    response = actors.client_for(actors.admin).post(reverse("tenancy:member_remove", args=["alfa", membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).status_code == 404


def test_last_admin_cannot_remove_themself(actors) -> None:
    own = Membership.objects.get(user=actors.admin)
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:member_remove", args=["alfa", own.pk]), follow=True)
    assert "minst en administratör" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk, role=Role.ADMIN).exists()
    with pytest.raises(OnboardingError, match="minst en administratör"):
        services.membership_remove(association=actors.association, membership_id=own.pk)


def test_last_admin_cannot_be_demoted(actors) -> None:
    own = Membership.objects.get(user=actors.admin)
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:member_role", args=["alfa", own.pk]), {"role": Role.MEMBER}, follow=True)
    assert "minst en administratör" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_an_admin_may_leave_when_another_admin_remains(actors) -> None:
    Membership.objects.filter(user=actors.analyst).update(role=Role.ADMIN)
    own = Membership.objects.get(user=actors.admin)
    response = actors.client_for(actors.admin).post(reverse("tenancy:member_remove", args=["alfa", own.pk]))
    assert response["Location"] == reverse("tenancy:home")
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_admin_cannot_change_or_remove_a_membership_of_another_association(actors) -> None:
    theirs = Membership.objects.get(user=actors.outsider)
    client = actors.client_for(actors.admin)
    assert client.post(reverse("tenancy:member_role", args=["alfa", theirs.pk]), {"role": "member"}).status_code == 404
    assert client.post(reverse("tenancy:member_remove", args=["alfa", theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.ADMIN


def test_settings_page_links_to_the_members_page(actors) -> None:
    page = actors.client_for(actors.admin).get(reverse("tenancy:settings", args=["alfa"])).content.decode()
    assert reverse("tenancy:members", args=["alfa"]) in page


# --- The Django admin's pickers -----------------------------------------------------------------------------


def test_admin_site_user_picker_shows_and_finds_people_by_email_not_by_name_alone(actors, operator) -> None:
    UserFactory(email="anna.a@kommun.se", name="Anna Andersson")
    UserFactory(email="anna.b@region.se", name="Anna Andersson")
    client = actors.client_for(operator)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "tenancy", "model_name": "membership", "field_name": "user", "term": "region.se"},
    )
    assert response.status_code == 200
    texts = [r["text"] for r in response.json()["results"]]
    assert texts == ["anna.b@region.se (Anna Andersson)"]
    listing = client.get("/admin/tenancy/membership/", {"q": "member@alfa.se"}).content.decode()
    assert "member@alfa.se" in listing


def test_wrong_passwords_on_the_invitation_page_lock_out_like_the_login_page(actors, settings) -> None:
    # The invitation page logs people in, so it must not be a way round axes' lockout.
    UserFactory(email="person@kommun.se")
    _invitation, token = _invite(actors, "person@kommun.se", Role.MEMBER)
    client = Client()
    _open(client, token)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(ACCEPT, {"password": "fel-lösenord"})
    response = client.post(ACCEPT, {"password": TEST_PASSWORD})
    assert response.status_code in (403, 429)
    assert not Membership.objects.filter(user__email="person@kommun.se").exists()
