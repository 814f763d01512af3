"""Writes for tenancy: tokens, memberships, associations and invitations to them."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .agency_names import agency_kind_of_name
from .models import ROLE_RANK, Agency, ApiToken, Association, Membership, MembershipInvitation, Role, hash_token

# An invitation link builder: token → absolute URL of the page that opens it.
AcceptUrl = Callable[[str], str]


class OnboardingError(Exception):
    """A rule of onboarding was not met; the message is for the person (in Swedish), `field` the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def api_token_create(*, association: Association, name: str, created_by: Any | None = None) -> tuple[ApiToken, str]:
    """Make a token and return it with its plain text, which is never stored."""
    plain = ApiToken.generate()
    token = ApiToken.objects.create(
        association=association,
        name=name,
        token_hash=hash_token(plain),
        prefix=plain[3:9],
        created_by=created_by,
    )
    return token, plain


def api_token_revoke(*, association: Association, token_id: int) -> bool:
    deleted, _count = ApiToken.objects.for_association(association).filter(pk=token_id).delete()
    return bool(deleted)


def membership_set(*, user: Any, association: Association, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, association=association, defaults={"role": role}
    )
    return membership


# --- Associations -------------------------------------------------------------------------------------


def association_create(
    *,
    name: str,
    county: str,
    agency_names: Iterable[str],
    admin_email: str,
    accept_url: AcceptUrl,
    slug: str = "",
    invited_by: Any | None = None,
) -> tuple[Association, MembershipInvitation]:
    """Create an association with its member agencies and invite its first admin by e-mail.

    Agencies are matched by name whatever the case (an agency may be a member of several associations);
    a new one gets its kind from its name. All or nothing: if the mail cannot be sent, nothing is kept.
    """
    name = " ".join(name.split())
    county = " ".join(county.split())
    if not name:
        raise OnboardingError(_("Förbundet behöver ett namn."), "name")
    if len(name) > 200:
        raise OnboardingError(_("Namnet får vara högst 200 tecken."), "name")
    if not county:
        raise OnboardingError(_("Ange vilket län förbundet ligger i."), "county")
    if len(county) > 100:
        raise OnboardingError(_("Länet får vara högst 100 tecken."), "county")
    slug = slugify(slug.strip() or name)[:50].strip("-")
    if not slug:
        raise OnboardingError(_("Kortnamnet får bara innehålla bokstäver a–z, siffror och bindestreck."), "slug")
    names = list(dict.fromkeys(" ".join(n.split()) for n in agency_names if n.strip()))
    if not names:
        raise OnboardingError(_("Ange minst en medlem (t.ex. Försäkringskassan eller en kommun)."), "agencies")
    too_long = [n for n in names if len(n) > 200]
    if too_long:
        raise OnboardingError(_("Ett medlemsnamn får vara högst 200 tecken."), "agencies")
    email = _valid_email(admin_email, field="admin_email")
    with transaction.atomic():
        same_name = Association.objects.filter(name__iexact=name).first()
        if same_name is not None:
            raise OnboardingError(
                _("Det finns redan ett förbund som heter %(name)s.") % {"name": same_name.name}, "name"
            )
        if Association.objects.filter(slug=slug).exists():
            raise OnboardingError(
                _("Kortnamnet %(slug)s används redan av ett annat förbund. Välj ett annat.") % {"slug": slug}, "slug"
            )
        association = Association.objects.create(name=name, slug=slug, county=county)
        agencies = []
        for agency_name in names:
            agency = Agency.objects.filter(name__iexact=agency_name).first()
            if agency is None:
                agency = Agency.objects.create(name=agency_name, kind=agency_kind_of_name(agency_name))
            agencies.append(agency)
        association.agencies.set(agencies)
        invitation = invitation_create(
            association=association, email=email, role=Role.ADMIN, invited_by=invited_by, accept_url=accept_url
        )
    return association, invitation


# --- Invitations ----------------------------------------------------------------------------------------


def invitation_days() -> int:
    """How long an invitation link works (setting SAMVERKAN_INVITATION_DAYS, default 14)."""
    return int(getattr(settings, "SAMVERKAN_INVITATION_DAYS", 14))


def _valid_email(value: str, *, field: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OnboardingError(_("Ange en giltig e-postadress."), field) from None
    return email


def _renew(invitation: MembershipInvitation) -> str:
    token = MembershipInvitation.generate()
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=invitation_days())
    return token


def invitation_create(
    *,
    association: Association,
    email: str,
    role: str,
    accept_url: AcceptUrl,
    invited_by: Any | None = None,
) -> MembershipInvitation:
    """Invite an address with a role and mail the link. Inviting an address again renews its invitation."""
    email = _valid_email(email, field="email")
    if role not in Role.values:
        raise OnboardingError(_("Välj en roll."), "role")
    with transaction.atomic():
        if Membership.objects.filter(association=association, user__email__iexact=email).exists():
            raise OnboardingError(
                _("%(email)s är redan med i förbundet. Ändra rollen i listan i stället.") % {"email": email}, "email"
            )
        invitation = (
            MembershipInvitation.objects.for_association(association)
            .select_for_update()
            .filter(email=email, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            invitation = MembershipInvitation(association=association, email=email)
        invitation.role = role
        invitation.invited_by = invited_by
        token = _renew(invitation)
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            # Two admins invited the same address at the same moment: the other one's invitation stands.
            raise OnboardingError(_("%(email)s har redan bjudits in.") % {"email": email}, "email") from None
        _send_invitation(invitation, accept_url(token))
    return invitation


def invitation_resend(
    *, association: Association, invitation_id: int, accept_url: AcceptUrl
) -> MembershipInvitation | None:
    """Send an open invitation again with a new link (the old one stops working) and a new expiry date."""
    with transaction.atomic():
        invitation = (
            MembershipInvitation.objects.for_association(association)
            .select_for_update()
            .filter(pk=invitation_id, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return None
        token = _renew(invitation)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        _send_invitation(invitation, accept_url(token))
    return invitation


def invitation_withdraw(*, association: Association, invitation_id: int) -> bool:
    deleted, _count = (
        MembershipInvitation.objects.for_association(association)
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .delete()
    )
    return bool(deleted)


def _send_invitation(invitation: MembershipInvitation, url: str) -> None:
    association = invitation.association
    inviter = invitation.invited_by
    values = {
        "association": association.name,
        "role": invitation.get_role_display().lower(),
        "inviter": (inviter.name or inviter.email) if inviter else "Samverkan",
        "url": url,
        "page": url.split("#", 1)[0],
        "code": url.split("#", 1)[1] if "#" in url else "",
        "date": date_format(timezone.localtime(invitation.expires_at).date(), "j F Y"),
    }
    subject = _("Inbjudan till %(association)s på Samverkan") % values
    body = (
        _(
            "Hej!\n\n"
            "%(inviter)s har bjudit in dig som %(role)s i %(association)s på Samverkan.\n\n"
            "Öppna länken för att gå med:\n%(url)s\n\n"
            "Fungerar inte länken? Gå till %(page)s och skriv in koden %(code)s\n\n"
            "Länken fungerar en gång och gäller till och med %(date)s. Har du inget konto väljer du ett "
            "lösenord; har du redan ett konto med den här e-postadressen loggar du in som vanligt.\n\n"
            "Väntade du dig inte inbjudan kan du bortse från det här brevet.\n"
        )
        % values
    )
    try:
        send_mail(subject, body, None, [invitation.email], fail_silently=False)
    except (smtplib.SMTPException, OSError):
        # Raised inside the caller's transaction, so nothing of the invitation (or association) is kept.
        raise OnboardingError(
            _("Mejlet kunde inte skickas just nu, så inget sparades. Försök igen om en stund."), "email"
        ) from None


def invitation_accept(*, token: str, user: Any) -> Membership:
    """The invited person, logged in with the invited address, joins with the role (once, before expiry).

    A person who already is a member keeps the higher of their role and the invited one: an invitation
    never demotes anyone (nor takes the last admin away).
    """
    with transaction.atomic():
        invitation = (
            MembershipInvitation.objects.select_for_update()
            .select_related("association")
            .filter(token_hash=hash_token(token))
            .first()
        )
        _check_open(invitation)
        assert invitation is not None
        if user.email.lower() != invitation.email.lower():
            raise OnboardingError(
                _("Inbjudan gäller %(email)s, men du är inloggad med en annan adress.") % {"email": invitation.email}
            )
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, association=invitation.association, defaults={"role": invitation.role}
        )
        if not created and ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def invitation_accept_new_account(*, token: str, name: str, password: str) -> tuple[Any, Membership]:
    """A person without an account sets their own password (validated by the form) and joins."""
    user_model = get_user_model()
    with transaction.atomic():
        invitation = MembershipInvitation.objects.filter(token_hash=hash_token(token)).first()
        _check_open(invitation)
        assert invitation is not None
        if user_model.objects.filter(email__iexact=invitation.email).exists():
            raise OnboardingError(_("Det finns redan ett konto med %(email)s. Logga in.") % {"email": invitation.email})
        user = user_model.objects.create_user(invitation.email, password, name=" ".join(name.split()))
        membership = invitation_accept(token=token, user=user)
    return user, membership


def _check_open(invitation: MembershipInvitation | None) -> None:
    if invitation is None:
        raise OnboardingError(_("Länken gäller inte. Den kan ha skickats på nytt eller dragits tillbaka."))
    if invitation.accepted_at is not None:
        raise OnboardingError(_("Länken har redan använts. Logga in med ditt konto."))
    if invitation.expires_at <= timezone.now():
        raise OnboardingError(_("Länken har gått ut. Be förbundets administratör att skicka en ny inbjudan."))


# --- Members ------------------------------------------------------------------------------------------------


def _locked_membership(association: Association, membership_id: int) -> tuple[list[Membership], Membership | None]:
    """The association's admins and this membership, locked while the last-admin rule is checked."""
    admins = list(
        Membership.objects.select_for_update().filter(association=association, role=Role.ADMIN).order_by("pk")
    )
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(association=association, pk=membership_id)
        .first()
    )
    return admins, membership


def _last_admin_error() -> OnboardingError:
    return OnboardingError(_("Förbundet måste ha minst en administratör. Gör någon annan till administratör först."))


def membership_change_role(*, association: Association, membership_id: int, role: str) -> Membership | None:
    """Give a member another role; the association's last admin keeps theirs."""
    if role not in Role.values:
        raise OnboardingError(_("Välj en roll."), "role")
    with transaction.atomic():
        admins, membership = _locked_membership(association, membership_id)
        if membership is None:
            return None
        if membership.role == Role.ADMIN and role != Role.ADMIN and len(admins) <= 1:
            raise _last_admin_error()
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, association: Association, membership_id: int) -> Membership | None:
    """Take a person out of the association; never its last admin. Their used invitations go with them."""
    with transaction.atomic():
        admins, membership = _locked_membership(association, membership_id)
        if membership is None:
            return None
        if membership.role == Role.ADMIN and len(admins) <= 1:
            raise _last_admin_error()
        MembershipInvitation.objects.for_association(association).filter(
            email__iexact=membership.user.email, accepted_at__isnull=False
        ).delete()
        membership.delete()
    return membership
